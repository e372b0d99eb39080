from django.urls import path

from .views import campaigns, checkins, members, overview, projects

app_name = "volunteers"

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("checkins/", checkins.checkin_list, name="checkin_list"),
    path("checkins/new/", checkins.checkin_new, name="checkin_new"),
    path("checkins/<int:pk>/", checkins.checkin_detail, name="checkin_detail"),
    path("checkins/<int:pk>/<str:action>/", checkins.checkin_action, name="checkin_action"),
    path("coverage/", checkins.coverage, name="coverage"),
    path("resources/", checkins.resource_list, name="resource_list"),
    path("import/<str:kind>/", checkins.checkin_import, name="import"),
    path("needs/", projects.need_list, name="need_list"),
    path("needs/new/", projects.need_new, name="need_new"),
    path("needs/draw/", projects.need_draw, name="need_draw"),
    path("projects/", projects.project_list, name="project_list"),
    path("projects/new/", projects.project_new, name="project_new"),
    path("projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projects/<int:pk>/transition/", projects.project_transition, name="project_transition"),
    path("projects/<int:pk>/<str:what>/", projects.project_progress, name="project_progress"),
    path("evidence/<int:pk>/", projects.evidence_file, name="evidence_file"),
    path("evidence/<int:pk>/thumb/", projects.evidence_file, {"which": "thumb"},
         name="evidence_thumb"),
    path("members/", members.member_list, name="member_list"),
    path("members/new/", members.member_new, name="member_new"),
    path("members/<int:pk>/", members.member_detail, name="member_detail"),
    path("members/<int:pk>/tasks/", members.member_tasks, name="member_tasks"),
    path("members/<int:pk>/<str:action>/", members.member_action, name="member_action"),
    path("m/<str:token>/", members.member_phone, name="member_phone"),
    path("feedback/", members.feedback_list, name="feedback_list"),
    path("feedback/letter/", members.feedback_letter, name="feedback_letter"),
    path("campaigns/", campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaigns.campaign_new, name="campaign_new"),
    path("campaigns/people/", campaigns.campaign_people, name="campaign_people"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/shifts/", campaigns.shift_add, name="shift_add"),
    path("shifts/<int:pk>/", campaigns.shift_detail, name="shift_detail"),
    path("shifts/<int:pk>/<str:action>/", campaigns.shift_action, name="shift_action"),
]  # fmt: skip
