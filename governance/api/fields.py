"""Serializer fields for personal data: masked unless the view put ``unmask`` in the context
(the caller asked with ``?unmask=1`` and holds the permission; the view audits it)."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.personal_data import show_id_number, show_phone


@extend_schema_field(serializers.CharField(help_text="脱敏显示；有权限者加 ?unmask=1 查看明文"))
class MaskedField(serializers.Field):
    def __init__(self, kind: str, **kwargs: Any) -> None:
        self.kind = kind
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        unmask = bool(self.context.get("unmask"))
        return (
            show_id_number(value, unmask) if self.kind == "id_number" else show_phone(value, unmask)
        )
