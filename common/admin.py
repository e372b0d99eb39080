"""The back office's edits of versioned rows (``common.concurrency``): the change form carries
the version it was read at, and a save made on a version someone else has replaced is
refused with the message the pages show (what differs, field by field) and changes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from common.concurrency import (
    StaleEdit,
    differences,
    save_versioned,
    stale_message,
    version_form_field,
)

#: The hidden field of the version read (the model's ``version`` is not editable, so a form
#: field of that name could not be listed in the admin's fields).
FIELD = "seen_version"


def _edited(form: Any) -> list[str]:
    """The model's own columns among the form's fields."""
    columns = {field.name for field in form._meta.model._meta.concrete_fields}
    return [name for name in form.fields if name in columns]


class _VersionCheck:
    """Refuses, as a form error, a change form posted on a version that is no longer the
    row's (the usual case; a save racing it is stopped by ``save_versioned``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form: Any = self
        if form.instance.pk is not None:
            form.fields[FIELD].initial = form.instance.version

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        form: Any = self
        seen = form.cleaned_data.get(FIELD)
        if form.instance.pk is None or seen is None:
            return
        theirs = type(form.instance)._default_manager.get(pk=form.instance.pk)
        if theirs.version != seen:
            form.add_error(None, stale_message(differences(theirs, form.instance, _edited(form))))


class VersionedAdminMixin(admin.ModelAdmin):
    """For the ``ModelAdmin`` of a model with ``version = version_field()``: its change form
    carries the version, and its save is ``save_versioned`` of the fields the form edits,
    which bumps the version (so an edit page opened before gets the conflict in turn)."""

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is not None and "form" not in kwargs:
            kwargs["form"] = type(
                self.form.__name__, (_VersionCheck, self.form), {FIELD: version_form_field()}
            )
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))
        if obj is not None and FIELD not in fields:
            fields.append(FIELD)
        return fields

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        if not change or FIELD not in form.cleaned_data:
            super().save_model(request, obj, form, change)
            return
        save_versioned(obj, seen=form.cleaned_data[FIELD], fields=_edited(form))

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit as exc:
            self.message_user(request, str(exc.message), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
