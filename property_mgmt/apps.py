from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PropertyMgmtConfig(AppConfig):
    name = "property_mgmt"
    verbose_name = _("红色物业")

    def ready(self) -> None:
        from governance.models import AreaLevel
        from governance.services import register_area_ancestor_copy, register_area_path_copy

        # Moving an area rewrites every copy of its path, ours included.
        for model in (
            "ServiceContract",
            "EstateProfile",
            "OwnersCommittee",
            "CommitteeMember",
            "CouncilMeeting",
            "Resolution",
            "ComplaintDetail",
            "MediationGroup",
            "Mediation",
            "Survey",
            "SurveyAnswer",
        ):
            register_area_path_copy(f"property_mgmt.{model}", "area_path")
        register_area_ancestor_copy(
            "property_mgmt.ComplaintDetail", "area_path", "street", AreaLevel.STREET
        )
        register_area_ancestor_copy(
            "property_mgmt.ComplaintDetail", "area_path", "community", AreaLevel.COMMUNITY
        )
