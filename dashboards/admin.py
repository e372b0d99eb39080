"""Back office of the dashboards: the appraisal weights, kept by the district admin."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.admin_base import PortalAdmin
from accounts.roles import Role

from . import services
from .appraisal import TERMS
from .models import AppraisalWeights


@admin.register(AppraisalWeights)
class AppraisalWeightsAdmin(PortalAdmin):
    """One row per subject (areas, departments, grid workers); they are changed, never added
    or deleted. The dashboard states the formula with these weights."""

    view_roles = frozenset({Role.DISTRICT_LEADER})
    change_roles = frozenset({Role.DISTRICT_ADMIN})
    list_display = ["subject", *TERMS, "updated_at", "updated_by"]
    fields = ["subject", *TERMS, "updated_at", "updated_by"]
    readonly_fields = ["subject", "updated_at", "updated_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: AppraisalWeights, form: Any, change: bool
    ) -> None:
        services.appraisal_weights_update(
            actor=request.user,
            subject=obj.subject,
            **{term: int(form.cleaned_data[term]) for term in TERMS},
        )
