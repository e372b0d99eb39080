"""A place chooser: a search field with suggestions from ``governance:place_search`` (the
reader's scope, full paths), and a hidden input carrying the chosen id. It replaces selects of
hundreds of look-alike entries ("1号楼 1单元101室" in every estate).

Without JavaScript the search field is a plain text input: what was typed is looked up on the
server among the field's own choices, and one match (or a label typed in full) is taken; several
are listed back so the next try can be precise."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .models import Area, Household
from .places import PLACE_KINDS, area_labels, household_labels, search_places

TEXT_SUFFIX = "_text"
PLACEHOLDERS = {
    "household": _("输入小区、楼栋、室号或户主姓名搜索"),
    "community": _("输入社区名称搜索"),
    "estate": _("输入小区名称搜索"),
    "building": _("输入小区或楼栋名称搜索"),
    "scope": _("输入街道、社区或小区名称搜索"),
}


@dataclass(frozen=True)
class PlaceTyped:
    """What a chooser sent: the id its script chose (may be empty) and the text shown (None
    when the client sent no text field at all, as an API-like post or an older page does)."""

    pk: str
    text: str | None


def _normal(text: str) -> str:
    return " ".join(text.replace("/", " ").split())


class PlaceInput(forms.Widget):
    template_name = "governance/widgets/place.html"

    def __init__(self, kind: str = "household", attrs: dict[str, Any] | None = None) -> None:
        if kind not in PLACE_KINDS:
            raise ValueError(f"unknown place kind {kind!r}")
        super().__init__(attrs)
        self.kind = kind
        self.actor: Any = None

    def label_for(self, value: Any) -> str:
        if value in (None, ""):
            return ""
        if isinstance(value, Area | Household):
            value = value.pk
        try:
            pk = int(value)
        except (TypeError, ValueError):
            return ""
        if self.kind == "household":
            homes = list(Household.objects.visible_to(self.actor).filter(pk=pk))
            return household_labels(self.actor, homes).get(pk, "")
        areas = list(Area.objects.visible_to(self.actor).filter(pk=pk))
        return area_labels(self.actor, areas).get(pk, "")

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        text = data.get(name + TEXT_SUFFIX)
        return PlaceTyped(pk=str(data.get(name) or ""), text=text)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and name + TEXT_SUFFIX not in data

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        if isinstance(value, PlaceTyped):
            label = self.label_for(value.pk)
            text = label if value.text is None else value.text
            pk = value.pk if label and _normal(label) == _normal(text) else ""
        else:
            pk, text = ("" if value is None else str(value)), self.label_for(value)
        context = super().get_context(name, pk, attrs)
        context["widget"].update(
            text_name=name + TEXT_SUFFIX,
            url=f"{reverse('governance:place_search')}?{urlencode({'kind': self.kind})}",
            label=text,
            placeholder=PLACEHOLDERS.get(self.kind, _("输入社区、小区或楼栋名称搜索")),
        )
        return context


class PlaceChoiceField(forms.ModelChoiceField):
    """A scoped choice of a household or area through :class:`PlaceInput`; the queryset
    still decides what may be chosen, and typed text is matched within it."""

    default_error_messages = {
        "no_match": _("没有找到“%(text)s”，请输入小区、楼栋或室号。"),
        "ambiguous": _("“%(text)s”对应多个地点，请写得更完整，例如：%(places)s"),
    }

    def __init__(self, *args: Any, kind: str = "household", **kwargs: Any) -> None:
        kwargs.setdefault("widget", PlaceInput(kind=kind))
        kwargs.setdefault("empty_label", None)
        super().__init__(*args, **kwargs)
        self.kind = kind

    @property
    def actor(self) -> Any:
        return self.widget.actor

    def for_actor(self, actor: Any, queryset: QuerySet[Any] | None = None) -> PlaceChoiceField:
        """Name the places for ``actor`` (and choose among ``queryset`` if given)."""
        if queryset is not None:
            self.queryset = queryset
        self.widget.actor = actor
        return self

    def to_python(self, value: Any) -> Any:
        if not isinstance(value, PlaceTyped):
            return super().to_python(value)
        if value.text is None:
            return super().to_python(value.pk)
        text = _normal(value.text)
        if not text:
            return None
        if value.pk:
            chosen = super().to_python(value.pk)
            if chosen is not None and _normal(self.widget.label_for(chosen.pk)) == text:
                return chosen
        return self._resolve(text)

    def _resolve(self, text: str) -> Any:
        assert self.queryset is not None
        found = search_places(self.actor, self.kind, text, within=self.queryset, limit=6)
        exact = [f for f in found if _normal(f["label"]) == text]
        if len(exact) == 1 or len(found) == 1:
            return self.queryset.get(pk=(exact or found)[0]["id"])
        if not found:
            raise forms.ValidationError(
                self.error_messages["no_match"], code="no_match", params={"text": text}
            )
        places = "；".join(f["label"] for f in found[:5])
        raise forms.ValidationError(
            self.error_messages["ambiguous"],
            code="ambiguous",
            params={"text": text, "places": places},
        )

    def has_changed(self, initial: Any, data: Any) -> bool:
        if isinstance(data, PlaceTyped):
            try:
                chosen = self.to_python(data)
            except forms.ValidationError:
                return True
            data = "" if chosen is None else chosen.pk
        return super().has_changed(initial, data)
