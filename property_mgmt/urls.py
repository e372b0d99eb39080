"""红色物业 pages under /property/; ``s/<token>/`` is the residents' survey page (no login)."""

from django.urls import path

from .views import committees, companies, complaints, councils, home, stats, surveys

app_name = "property_mgmt"

urlpatterns = [
    path("", home.home, name="home"),
    path("companies/", companies.company_list, name="company_list"),
    path("companies/new/", companies.company_new, name="company_new"),
    path("companies/<int:pk>/", companies.company_detail, name="company_detail"),
    path("contacts/<int:pk>/remove/", companies.contact_remove, name="contact_remove"),
    path("contracts/", companies.contract_list, name="contract_list"),
    path("contracts/new/", companies.contract_new, name="contract_new"),
    path("contracts/<int:pk>/", companies.contract_detail, name="contract_detail"),
    path("coverage/", companies.coverage, name="coverage"),
    path("estates/<int:pk>/", companies.estate_edit, name="estate_edit"),
    path("import/<str:kind>/", companies.import_view, name="import"),
    path("committees/", committees.committee_list, name="committee_list"),
    path("committees/new/", committees.committee_new, name="committee_new"),
    path("committees/<int:pk>/", committees.committee_detail, name="committee_detail"),
    path("members/<int:pk>/leave/", committees.member_leave, name="member_leave"),
    path("meetings/", councils.meeting_list, name="meeting_list"),
    path("meetings/new/", councils.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", councils.meeting_detail, name="meeting_detail"),
    path("meetings/photos/<int:pk>/", councils.meeting_photo, name="meeting_photo"),
    path(
        "meetings/photos/<int:pk>/thumb/",
        councils.meeting_photo,
        {"which": "thumb"},
        name="meeting_photo_thumb",
    ),
    path("resolutions/", councils.resolution_list, name="resolution_list"),
    path("resolutions/<int:pk>/", councils.resolution_detail, name="resolution_detail"),
    path("complaints/", complaints.complaint_list, name="complaint_list"),
    path("complaints/new/", complaints.complaint_new, name="complaint_new"),
    path("disputes/new/", complaints.dispute_new, name="dispute_new"),
    path("mediations/", complaints.mediation_list, name="mediation_list"),
    path("mediations/<int:pk>/", complaints.mediation_detail, name="mediation_detail"),
    path(
        "mediations/<int:pk>/agreement/", complaints.mediation_agreement, name="mediation_agreement"
    ),
    path("surveys/", surveys.survey_list, name="survey_list"),
    path("surveys/new/", surveys.survey_new, name="survey_new"),
    path("surveys/<int:pk>/", surveys.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/qr.svg", surveys.survey_qr, name="survey_qr"),
    path("surveys/<int:pk>/poster/", surveys.survey_poster, name="survey_poster"),
    path("surveys/<int:pk>/codes/", surveys.survey_codes, name="survey_codes"),
    path("surveys/<int:pk>/close/", surveys.survey_close, name="survey_close"),
    path("s/<str:token>/", surveys.survey_answer, name="survey_answer"),
    path("s/<str:token>/done/", surveys.survey_thanks, name="survey_thanks"),
    path("rates/", stats.complaint_rates, name="complaint_rates"),
    path("satisfaction/", stats.satisfaction, name="satisfaction"),
    path("ranking/", stats.ranking, name="ranking"),
]
