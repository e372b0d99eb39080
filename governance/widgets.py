"""A place chooser: a search field with suggestions from ``governance:place_search`` (the
reader's scope, full paths), and a hidden input carrying the chosen id. It replaces selects of
hundreds of look-alike entries ("1号楼 1单元101室" in every estate)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .models import Area, Household
from .places import area_labels, household_labels


class PlaceInput(forms.Widget):
    template_name = "governance/widgets/place.html"

    def __init__(self, kind: str = "household", attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.kind = kind
        self.actor: Any = None

    def label_for(self, value: Any) -> str:
        if value in (None, ""):
            return ""
        try:
            pk = int(value)
        except (TypeError, ValueError):
            return ""
        if self.kind == "household":
            homes = list(Household.objects.visible_to(self.actor).filter(pk=pk))
            return household_labels(self.actor, homes).get(pk, "")
        areas = list(Area.objects.visible_to(self.actor).filter(pk=pk))
        return area_labels(self.actor, areas).get(pk, "")

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            url=f"{reverse('governance:place_search')}?{urlencode({'kind': self.kind})}",
            label=self.label_for(value),
            placeholder=_("输入小区、楼栋、室号或户主姓名搜索"),
        )
        return context


class PlaceChoiceField(forms.ModelChoiceField):
    """A scoped choice of a household or area through :class:`PlaceInput`; the queryset
    still decides what may be chosen."""

    def __init__(self, *args: Any, kind: str = "household", **kwargs: Any) -> None:
        kwargs.setdefault("widget", PlaceInput(kind=kind))
        super().__init__(*args, **kwargs)

    def for_actor(self, actor: Any) -> PlaceChoiceField:
        self.widget.actor = actor
        return self
