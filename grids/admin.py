"""Back office for grids and their people, scoped like every page."""

from django.contrib import admin

from accounts.admin_base import PortalAdmin
from accounts.roles import Role
from common.admin import VersionedAdminMixin

from .models import (
    CommunityWorker,
    GradeChange,
    Grid,
    GridCoverage,
    GridStaffing,
    ModelPost,
    SalaryScale,
    Station,
    Training,
    Visit,
)

VIEWERS = frozenset({Role.DISTRICT_LEADER, Role.STREET_STAFF, Role.COMMUNITY_STAFF})
KEEPERS = frozenset({Role.DISTRICT_ADMIN})


class GridCoverageInline(admin.TabularInline):
    model = GridCoverage
    extra = 0
    fields = ["area", "is_active", "created_at"]
    readonly_fields = ["area", "is_active", "created_at"]
    can_delete = False


class GridStaffingInline(admin.TabularInline):
    model = GridStaffing
    extra = 0
    fields = ["post", "person_name", "worker", "started_on", "ended_on"]
    readonly_fields = ("post", "person_name", "worker", "started_on", "ended_on")
    can_delete = False


@admin.register(Grid)
class GridAdmin(VersionedAdminMixin, PortalAdmin):
    view_roles = VIEWERS | KEEPERS
    list_display = ["code", "name", "community", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["community"]
    readonly_fields = ["community", "area_path", "boundary"]
    inlines = [GridCoverageInline, GridStaffingInline]


@admin.register(CommunityWorker)
class CommunityWorkerAdmin(PortalAdmin):
    view_roles = VIEWERS | KEEPERS
    list_display = ["name", "community", "post", "grade", "duty", "status"]
    list_filter = ["post", "duty", "status"]
    search_fields = ["name"]
    list_select_related = ["community"]
    readonly_fields = ["community", "area_path", "post", "grade", "user"]


@admin.register(SalaryScale)
class SalaryScaleAdmin(PortalAdmin):
    """The 3岗18级 salary table: the district admin enters each year's figures."""

    view_roles = frozenset({Role.DISTRICT_LEADER, Role.STREET_STAFF})
    change_roles = KEEPERS
    list_display = ["year", "post", "grade", "monthly_amount"]
    list_filter = ["year", "post"]
    list_editable = ["monthly_amount"]
    ordering = ["-year", "post", "grade"]


@admin.register(GradeChange)
class GradeChangeAdmin(PortalAdmin):
    view_roles = VIEWERS | KEEPERS
    list_display = ["worker", "effective_on", "post", "grade", "reason"]
    list_select_related = ["worker"]
    readonly_fields = ["worker", "area_path", "post", "grade", "effective_on", "recorded_by"]


@admin.register(Training)
class TrainingAdmin(PortalAdmin):
    view_roles = VIEWERS | KEEPERS
    list_display = ["worker", "course", "hours", "trained_on"]
    list_select_related = ["worker"]
    search_fields = ["course"]


class ModelPostInline(admin.TabularInline):
    model = ModelPost
    extra = 0


@admin.register(Station)
class StationAdmin(PortalAdmin):
    view_roles = VIEWERS | KEEPERS
    list_display = ["name", "kind", "grid", "opening_hours", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "address"]
    list_select_related = ["grid"]
    readonly_fields = ["grid", "area_path"]
    inlines = [ModelPostInline]


@admin.register(Visit)
class VisitAdmin(PortalAdmin):
    view_roles = VIEWERS | KEEPERS
    list_display = ["visited_on", "grid", "household", "visitor", "kind"]
    list_filter = ["kind"]
    list_select_related = ["grid", "household", "household__building", "visitor"]
    readonly_fields = ["grid", "household", "area_path", "visitor", "needs"]
