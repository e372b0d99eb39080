"""The volunteer-service load generator at a tiny scale: the rows it promises, consistent."""

import pytest
from django.db.models import Sum

from volunteers.loadgen_service import load_service
from volunteers.models import Activity, Attendance, TeamMembership, Volunteer

pytestmark = pytest.mark.django_db


def test_load_service_adds_volunteers_activities_and_attendance_at_scale(tree):
    counts = load_service(scale=0.001, log=lambda line: None)
    assert counts == {
        "volunteers": 10,
        "volunteer_teams": 1,
        "volunteer_activities": 200,
        "volunteer_attendance": 2000,
    }
    assert Volunteer.objects.count() == 10 and TeamMembership.objects.count() == 10
    assert Activity.objects.count() == 200
    assert Attendance.objects.filter(state="approved").count() == 2000
    # each volunteer's total is the sum of their approved hours; phones are encrypted, masked
    total = Attendance.objects.aggregate(h=Sum("hours"))["h"]
    assert Volunteer.objects.aggregate(h=Sum("hours"))["h"] == total == 4000
    volunteer = Volunteer.objects.order_by("id")[0]
    assert volunteer.phone.startswith("19") and "****" in volunteer.phone_masked
    # a second load adds more, never clashing
    again = load_service(scale=0.001, log=lambda line: None)
    assert again["volunteers"] == 10 and Volunteer.objects.count() == 20
