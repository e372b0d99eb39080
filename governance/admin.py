"""The back office for the backbone, scoped like the pages. Writes go through the services
(levels, codes, path copies, audit); nothing is deleted, areas and organisations are
deactivated. ID numbers and phones appear masked only."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin_base import PortalAdmin
from accounts.roles import Role
from common.admin import VersionedAdminMixin

from . import services
from .models import (
    Area,
    Department,
    Household,
    NeedsLedger,
    PartyMember,
    PartyOrg,
    PropertyCompany,
    Resident,
)
from .widgets import PlaceChoiceField

READERS = frozenset({Role.DISTRICT_LEADER, Role.STREET_STAFF, Role.COMMUNITY_STAFF})


class AreaAdminForm(forms.ModelForm):
    parent = PlaceChoiceField(
        queryset=Area.objects.exclude(level="building").order_by("path"),
        kind="parent",
        required=False,
        label=_("上级区域"),
        help_text=_("输入名称搜索。改变上级区域即移动整棵子树；层级须相符。"),
    )
    #: Set by AreaAdmin.get_form: the places are named and searched in this user's scope.
    actor: Any = None

    class Meta:
        model = Area
        fields = ["name", "level", "code"]

    class Media:
        js = ["js/autocomplete.js"]
        css = {"all": ["css/admin_places.css"]}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].for_actor(self.actor)  # type: ignore[attr-defined]
        self.fields["code"].required = False
        if self.instance.pk:
            self.fields["level"].disabled = True
            self.fields["parent"].initial = Area.objects.filter(
                path=self.instance.parent_path
            ).first()

    def clean(self) -> dict[str, Any]:
        """The service's level rule, checked here too so the form shows it beside the field."""
        data = super().clean() or {}
        level = data.get("level") or self.instance.level
        parent = data.get("parent")
        if level:
            try:
                services.check_area_level(level, parent)
            except ValidationError as exc:
                self.add_error("parent", exc)
        if self.instance.pk and parent is not None and parent.path.startswith(self.instance.path):
            self.add_error("parent", _("不能把区域移到它自己之下。"))
        return data


@admin.register(Area)
class AreaAdmin(PortalAdmin):
    view_roles = READERS
    change_roles = frozenset({Role.DISTRICT_ADMIN})
    form = AreaAdminForm
    list_display = ["name", "level", "code", "name_initials", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "code", "name_initials"]
    ordering = ["path"]
    actions = ["deactivate", "activate"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # history refers to areas: deactivate instead

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        """The form names and searches the parents in the signed-in admin's scope."""
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request: HttpRequest, obj: Area, form: Any, change: bool) -> None:
        data = form.cleaned_data
        parent = data.get("parent")
        if not change:
            created = services.area_create(
                actor=request.user,
                parent=parent,
                name=data["name"],
                level=data["level"],
                code=data.get("code") or "",
            )
            obj.pk, obj.path = created.pk, created.path
            return
        services.area_update(actor=request.user, area=obj, name=data["name"], code=data["code"])
        if parent is not None and parent.path != obj.parent_path:
            services.area_move(actor=request.user, area=obj, new_parent=parent)

    @admin.action(description=_("停用所选区域（含下级）"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Area]) -> None:
        for area in queryset:
            services.area_set_active(actor=request.user, area=area, active=False)

    @admin.action(description=_("启用所选区域"))
    def activate(self, request: HttpRequest, queryset: QuerySet[Area]) -> None:
        for area in queryset.order_by("path"):
            try:
                services.area_set_active(actor=request.user, area=area, active=True)
            except ValidationError as exc:
                messages.error(request, f"{area.name}：{'；'.join(exc.messages)}")


class PartyOrgAdminForm(forms.ModelForm):
    parent = forms.ModelChoiceField(
        queryset=PartyOrg.objects.all(), required=False, label=_("上级党组织")
    )

    class Meta:
        model = PartyOrg
        fields = [
            "name",
            "kind",
            "sector",
            "area",
            "department",
            "company",
            "secretary",
            "founded_on",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("kind", "sector", "department", "company", "parent"):
                self.fields[name].disabled = True
            self.fields["parent"].initial = PartyOrg.objects.filter(
                path=self.instance.path[: -PartyOrg.steplen]
            ).first()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("area") is not None and data.get("kind"):
            try:
                services.check_party_org_fields(
                    parent=data.get("parent"),
                    kind=data["kind"],
                    sector=data.get("sector") or "territorial",
                    area=data["area"],
                    department=data.get("department"),
                    company=data.get("company"),
                )
            except ValidationError as exc:
                self.add_error(None, exc)
        return data


@admin.register(PartyOrg)
class PartyOrgAdmin(PortalAdmin):
    view_roles = READERS
    change_roles = frozenset({Role.DISTRICT_ADMIN})
    form = PartyOrgAdminForm
    list_display = ["name", "kind", "sector", "area", "secretary", "founded_on", "is_active"]
    list_filter = ["kind", "sector", "is_active"]
    search_fields = ["name", "name_initials", "secretary"]
    list_select_related = ["area"]
    autocomplete_fields = ["area"]
    ordering = ["path"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: PartyOrg, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            services.party_org_update(
                actor=request.user,
                org=obj,
                name=data["name"],
                secretary=data["secretary"],
                founded_on=data["founded_on"],
                area=data["area"],
                is_active=data["is_active"],
            )
            return
        created = services.party_org_create(
            actor=request.user,
            parent=data.get("parent"),
            name=data["name"],
            kind=data["kind"],
            sector=data["sector"],
            area=data["area"],
            secretary=data["secretary"],
            founded_on=data["founded_on"],
            department=data["department"],
            company=data["company"],
        )
        obj.pk = created.pk


class ReadOnlyLedgerAdmin(PortalAdmin):
    """Ledgers are kept on the portal pages (through the services); the back office reads
    them, scoped, with personal data masked."""

    view_roles = READERS | frozenset({Role.DISTRICT_ADMIN})

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*self.fields] if self.fields else []


@admin.register(Household)
class HouseholdAdmin(VersionedAdminMixin, ReadOnlyLedgerAdmin):
    list_display = ["__str__", "head_name", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["head_name", "room"]
    list_select_related = ["building"]
    fields = ["building", "unit", "room", "head_name", "note", "is_active"]


class MaskedPersonAdmin(ReadOnlyLedgerAdmin):
    @admin.display(description=_("身份证号"))
    def masked_id_number(self, obj: Any) -> str:
        return str(obj.id_number_masked)

    @admin.display(description=_("手机号"))
    def masked_phone(self, obj: Any) -> str:
        return str(obj.phone_masked)


@admin.register(Resident)
class ResidentAdmin(VersionedAdminMixin, MaskedPersonAdmin):
    list_display = ["name", "gender", "masked_id_number", "masked_phone", "relation", "household"]
    list_filter = ["gender", "relation", "is_active"]
    search_fields = ["name"]
    list_select_related = ["household", "household__building"]
    fields = [
        "household",
        "name",
        "gender",
        "birth_date",
        "masked_id_number",
        "masked_phone",
        "relation",
        "tags",
        "is_active",
    ]


@admin.register(PartyMember)
class PartyMemberAdmin(VersionedAdminMixin, MaskedPersonAdmin):
    list_display = ["name", "org", "status", "masked_id_number", "masked_phone", "joined_on"]
    list_filter = ["status", "household_plaque", "model_post", "is_active"]
    search_fields = ["name", "employer"]
    list_select_related = ["org"]
    fields = [
        "name",
        "gender",
        "birth_date",
        "masked_id_number",
        "masked_phone",
        "org",
        "household",
        "status",
        "joined_on",
        "employer",
        "household_plaque",
        "model_post",
        "is_active",
    ]


@admin.register(NeedsLedger)
class NeedsLedgerAdmin(VersionedAdminMixin, ReadOnlyLedgerAdmin):
    list_display = ["raised_on", "kind", "status", "household", "taken_by", "done_on"]
    list_filter = ["kind", "status"]
    search_fields = ["description", "taken_by"]
    list_select_related = ["household", "household__building"]
    fields = [
        "household",
        "kind",
        "description",
        "status",
        "taken_by",
        "result",
        "raised_on",
        "taken_on",
        "done_on",
    ]


@admin.register(Department)
class DepartmentAdmin(PortalAdmin):
    view_roles = frozenset({Role.DISTRICT_LEADER})
    change_roles = frozenset({Role.DISTRICT_ADMIN})
    list_display = ["name", "code", "is_active"]
    search_fields = ["name", "code"]


@admin.register(PropertyCompany)
class PropertyCompanyAdmin(PortalAdmin):
    view_roles = frozenset({Role.DISTRICT_LEADER})
    change_roles = frozenset({Role.DISTRICT_ADMIN})
    list_display = ["name", "credit_code", "is_active"]
    search_fields = ["name", "credit_code"]
