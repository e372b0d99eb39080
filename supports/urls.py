"""三大支撑: party-mass service centres, the secretaries' studio, community funds and worker
careers."""

from django.urls import path

from .views import careers, centres, funds, home, studio

app_name = "supports"

urlpatterns = [
    path("", home.home, name="home"),
    # 阵地: centres, rooms, bookings, service records
    path("centres/", centres.centre_list, name="centre_list"),
    path("centres/new/", centres.centre_create, name="centre_create"),
    path("centres/<int:pk>/", centres.centre_detail, name="centre_detail"),
    path("centres/<int:pk>/edit/", centres.centre_edit, name="centre_edit"),
    path("centres/<int:pk>/rooms/", centres.room_add, name="room_add"),
    path("centres/<int:pk>/checklist/", centres.checklist_check, name="checklist_check"),
    path("bookings/", centres.booking_list, name="booking_list"),
    path("bookings/new/", centres.booking_create, name="booking_create"),
    path("bookings/<int:pk>/cancel/", centres.booking_cancel, name="booking_cancel"),
    path("services/", centres.record_list, name="record_list"),
    path("services/new/", centres.record_create, name="record_create"),
    path("services/counts/", centres.service_counts, name="service_counts"),
    # 书记工作室
    path("studio/", studio.studio_page, name="studio"),
    path("studio/members/", studio.member_add, name="member_add"),
    path("studio/sessions/", studio.session_list, name="session_list"),
    path("studio/sessions/new/", studio.session_create, name="session_create"),
    path("studio/sessions/<int:pk>/", studio.session_detail, name="session_detail"),
    path("studio/problems/", studio.problem_list, name="problem_list"),
    path("studio/problems/new/", studio.problem_create, name="problem_create"),
    path("studio/problems/<int:pk>/", studio.problem_detail, name="problem_detail"),
    path(
        "studio/problems/<int:pk>/transition/",
        studio.problem_transition,
        name="problem_transition",
    ),
    path("studio/problems/<int:pk>/case/", studio.problem_link_case, name="problem_link_case"),
    # 两项经费
    path("funds/", funds.fund_list, name="fund_list"),
    path("funds/budgets/new/", funds.budget_set, name="budget_set"),
    path("funds/budgets/<int:pk>/", funds.budget_detail, name="budget_detail"),
    path("funds/budgets/<int:pk>/spend/", funds.spending_add, name="spending_add"),
    path("funds/spending/", funds.spending_list, name="spending_list"),
    path("funds/spending/import/", funds.spending_import, name="spending_import"),
    path("funds/spending/<int:pk>/voucher/", funds.voucher, name="voucher"),
    # 队伍: quotas, recruitment, appraisal, promotions
    path("careers/", careers.roster, name="roster"),
    path("careers/quotas/", careers.quota_set, name="quota_set"),
    path("careers/rounds/", careers.round_list, name="round_list"),
    path("careers/rounds/new/", careers.round_create, name="round_create"),
    path("careers/rounds/<int:pk>/", careers.round_detail, name="round_detail"),
    path("careers/rounds/<int:pk>/advance/", careers.round_advance, name="round_advance"),
    path("careers/rounds/<int:pk>/positions/", careers.position_add, name="position_add"),
    path("careers/rounds/<int:pk>/apply/", careers.applicant_create, name="applicant_create"),
    path("careers/rounds/<int:pk>/import/", careers.applicant_import, name="applicant_import"),
    path("careers/applicants/<int:pk>/", careers.applicant_detail, name="applicant_detail"),
    path(
        "careers/applicants/<int:pk>/<str:step>/",
        careers.applicant_action,
        name="applicant_action",
    ),
    path("careers/workers/<int:pk>/", careers.worker_career, name="worker_career"),
    path("careers/workers/<int:pk>/appraise/", careers.worker_appraise, name="worker_appraise"),
    path("careers/workers/<int:pk>/promote/", careers.worker_promote, name="worker_promote"),
    path("careers/appraisals/", careers.appraisal_list, name="appraisal_list"),
    path("careers/promotions/", careers.promotion_list, name="promotion_list"),
]
