"""Filters shared by the ledger pages and the API (django-filter). ``within`` cuts a list to
a visible area's subtree; an area outside the caller's scope is a 404, as if it did not exist."""

from functools import partial
from typing import Any

import django_filters as df
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import blind_index

from .models import (
    Area,
    AreaLevel,
    Gender,
    Household,
    MemberStatus,
    NeedKind,
    NeedsLedger,
    NeedStatus,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
    PartyOrgSector,
    RelationToHead,
    Resident,
    VulnerableTag,
)
from .selectors import ledger_areas

YES_NO = [("true", _("是")), ("false", _("否"))]


def _looks_like_id_or_phone(value: str) -> bool:
    compact = value.replace(" ", "")
    return len(compact) in (11, 18) and compact[:17].isdigit()


class AreaIdFilter(df.NumberFilter):
    field_class = forms.IntegerField


def _area_choices(actor: Any) -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = [("", str(_("全部")))]
    for area in ledger_areas(actor=actor):
        indent = "\u3000" * max(area.depth - 2, 0)
        choices.append((str(area.pk), f"{indent}{area.name}"))
    return choices


class ScopedFilterSet(df.FilterSet):
    """``within``: an area id; ``q``: free-text search. With ``area_choices`` the ``within``
    box becomes a select of the caller's streets, communities and residential areas."""

    within = AreaIdFilter(
        method="filter_within",
        label=_("区域范围"),
        error_messages={"invalid": _("须为区域编号（整数）。")},
    )
    q = df.CharFilter(method="filter_q", label=_("搜索"))

    path_field = "area_path"

    def __init__(self, *args: Any, area_choices: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if area_choices and self.request is not None:
            # read when the select is rendered, not when the form is made (a kept filter bar,
            # common.fragments, is not rendered at all)
            choices: Any = partial(_area_choices, self.request.user)
            self.filters["within"].field.widget = forms.Select(choices=choices)

    def filter_within(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value in (None, ""):
            return queryset
        user = self.request.user if self.request is not None else None
        area: Area = get_object_or_404(Area.objects.visible_to(user), pk=int(value))
        return queryset.filter(**{f"{self.path_field}__startswith": area.path})

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        raise NotImplementedError


def _person_search(queryset: QuerySet[Any], value: str, extra: Q | None = None) -> QuerySet[Any]:
    """Names by substring; ID numbers and phones by exact value (through their keyed hash,
    the stored values being encrypted)."""
    value = value.strip()
    if not value:
        return queryset
    if _looks_like_id_or_phone(value):
        digest = blind_index(value)
        return queryset.filter(Q(id_number_hash=digest) | Q(phone_hash=digest))
    condition = Q(name__icontains=value)
    if extra is not None:
        condition |= extra
    return queryset.filter(condition)


class AreaFilter(ScopedFilterSet):
    """``?q=`` or, as DRF clients send it, ``?search=``: the same match."""

    path_field = "path"
    search = df.CharFilter(method="filter_q", label=_("搜索"))
    level = df.ChoiceFilter(choices=AreaLevel.choices, label=_("层级"))
    is_active = df.BooleanFilter(label=_("启用"))

    class Meta:
        model = Area
        fields = ["level", "is_active"]

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        condition = Q(name__icontains=value) | Q(code__startswith=value)
        if value.isascii():
            condition |= Q(name_initials__startswith=value.lower())
        return queryset.filter(condition)


class PartyOrgFilter(ScopedFilterSet):
    kind = df.ChoiceFilter(choices=PartyOrgKind.choices, label=_("组织类别"))
    sector = df.ChoiceFilter(choices=PartyOrgSector.choices, label=_("组织类型"))
    is_active = df.BooleanFilter(label=_("启用"))

    class Meta:
        model = PartyOrg
        fields = ["kind", "sector", "is_active"]

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        condition = Q(name__icontains=value) | Q(secretary__icontains=value)
        if value.isascii():
            condition |= Q(name_initials__startswith=value.lower())
        return queryset.filter(condition)


class HouseholdFilter(ScopedFilterSet):
    tag = df.ChoiceFilter(choices=VulnerableTag.choices, method="filter_tag", label=_("有关爱对象"))
    has_member = df.ChoiceFilter(choices=YES_NO, method="filter_has_member", label=_("党员户"))
    is_active = df.BooleanFilter(label=_("在册"))
    o = df.OrderingFilter(
        fields=(("area_path", "address"), ("head_name", "head_name"), ("updated_at", "updated")),
        field_labels={"area_path": _("地址"), "head_name": _("户主"), "updated_at": _("更新时间")},
        label=_("排序"),
    )

    class Meta:
        model = Household
        fields = ["is_active"]

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        return queryset.filter(
            Q(head_name__icontains=value) | Q(room=value) | Q(note__icontains=value)
        )

    def filter_tag(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        tagged = Resident.objects.filter(
            household=OuterRef("pk"), tags__contains=[value], is_active=True
        )
        return queryset.filter(Exists(tagged))

    def filter_has_member(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        members = PartyMember.objects.filter(household=OuterRef("pk"), is_active=True)
        return (
            queryset.filter(Exists(members))
            if value == "true"
            else queryset.exclude(Exists(members))
        )


class ResidentFilter(ScopedFilterSet):
    tag = df.ChoiceFilter(choices=VulnerableTag.choices, method="filter_tag", label=_("关爱标签"))
    gender = df.ChoiceFilter(choices=Gender.choices, label=_("性别"))
    relation = df.ChoiceFilter(choices=RelationToHead.choices, label=_("与户主关系"))
    household = df.NumberFilter(field_name="household_id", label=_("住户编号"))
    is_active = df.BooleanFilter(label=_("在册"))
    born_after = df.DateFilter(
        field_name="birth_date",
        lookup_expr="gte",
        label=_("出生日期自"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    born_before = df.DateFilter(
        field_name="birth_date",
        lookup_expr="lte",
        label=_("出生日期至"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    o = df.OrderingFilter(
        fields=(("name", "name"), ("birth_date", "birth_date"), ("area_path", "address")),
        field_labels={"name": _("姓名"), "birth_date": _("出生日期"), "area_path": _("地址")},
        label=_("排序"),
    )

    class Meta:
        model = Resident
        fields = ["gender", "relation", "is_active"]

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return _person_search(queryset, value)

    def filter_tag(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(tags__contains=[value])


class PartyMemberFilter(ScopedFilterSet):
    status = df.ChoiceFilter(choices=MemberStatus.choices, label=_("党员类别"))
    gender = df.ChoiceFilter(choices=Gender.choices, label=_("性别"))
    org = df.NumberFilter(field_name="org_id", label=_("党组织编号"))
    household_plaque = df.BooleanFilter(label=_("党员户挂牌"))
    model_post = df.BooleanFilter(label=_("党员示范岗"))
    is_active = df.BooleanFilter(label=_("在册"))
    o = df.OrderingFilter(
        fields=(("name", "name"), ("joined_on", "joined_on"), ("org__path", "org")),
        field_labels={"name": _("姓名"), "joined_on": _("入党日期"), "org__path": _("党组织")},
        label=_("排序"),
    )

    class Meta:
        model = PartyMember
        fields = ["status", "gender", "household_plaque", "model_post", "is_active"]

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return _person_search(queryset, value, Q(employer__icontains=value.strip()))


class NeedsLedgerFilter(ScopedFilterSet):
    kind = df.ChoiceFilter(choices=NeedKind.choices, label=_("需求类别"))
    status = df.ChoiceFilter(choices=NeedStatus.choices, label=_("状态"))
    household = df.NumberFilter(field_name="household_id", label=_("住户编号"))
    raised_after = df.DateFilter(
        field_name="raised_on",
        lookup_expr="gte",
        label=_("登记日期自"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    raised_before = df.DateFilter(
        field_name="raised_on",
        lookup_expr="lte",
        label=_("登记日期至"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    o = df.OrderingFilter(
        fields=(("raised_on", "raised_on"), ("status", "status"), ("kind", "kind")),
        field_labels={"raised_on": _("登记日期"), "status": _("状态"), "kind": _("类别")},
        label=_("排序"),
    )

    class Meta:
        model = NeedsLedger
        fields = ["kind", "status"]

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        return queryset.filter(
            Q(description__icontains=value)
            | Q(taken_by__icontains=value)
            | Q(household__head_name__icontains=value)
        )
