"""The appraisal formula, the weights the district admin keeps, and the rank ties."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.models import AuditLog
from dashboards import appraisal
from dashboards.appraisal import Ranked
from dashboards.measures import Measures
from dashboards.models import AppraisalWeights
from dashboards.services import appraisal_weights_update

WEIGHTS = {"on_time": 30, "satisfaction": 30, "reopen": 10, "overdue": 20, "visits": 10}


def unit(name, visits=None, workers=None, **counts):
    return Ranked(key=name, name=name, measures=Measures(**counts), visits=visits, workers=workers)


def test_the_score_is_the_weighted_mean_of_the_inputs_it_has():
    a = unit("甲", n=10, closed=10, on_time=8, rated=10, satisfied=9, reopened=1, overdue_ever=2,
             visits=20, workers=2)  # fmt: skip
    b = unit("乙", n=10, closed=0, rated=0, visits=5, workers=1)
    appraisal.rank([a, b], WEIGHTS, None)
    # 甲: 30×0.8 + 30×0.9 + 10×0.9 + 20×0.8 + 10×(10/10) over 100
    assert a.score == 86.0
    # 乙 has no closed or rated case: those weights drop out; 10×1 + 20×1 + 10×(5/10) over 40
    assert b.score == 87.5
    assert (b.rank, a.rank) == (1, 2)


def test_equal_scores_share_a_rank_and_units_without_data_have_none():
    units = [unit("甲", n=1, closed=1, on_time=1), unit("乙", n=1, closed=1, on_time=1), unit("丙")]
    appraisal.rank(units, {"on_time": 1}, None)
    assert [(u.name, u.rank) for u in units] == [("乙", 1), ("甲", 1), ("丙", None)]


def test_the_formula_names_the_weights_in_force():
    text = appraisal.formula(WEIGHTS)
    assert "30×按期办结率" in text and "(30+30+10+20+10)" in text


@pytest.mark.django_db
def test_the_district_admin_changes_the_weights_and_it_is_audited(make_user):
    admin = make_user("district_admin", is_staff=True)
    row = appraisal_weights_update(
        actor=admin, subject="areas", on_time=50, satisfaction=50, reopen=0, overdue=0, visits=0
    )
    assert appraisal.weights_of("areas")["on_time"] == 50 and row.updated_by == admin
    assert AuditLog.objects.filter(object_type="dashboards.appraisalweights").exists()
    with pytest.raises(ValidationError):
        appraisal_weights_update(actor=admin, subject="areas", on_time=0)
    with pytest.raises(ValidationError):
        appraisal_weights_update(actor=admin, subject="areas", on_time=101)


@pytest.mark.django_db
def test_the_weights_are_kept_in_the_admin_by_the_district_admin_only(make_user):
    # (the row of the first migration; a test that wipes the users' table takes it along)
    row, _created = AppraisalWeights.objects.get_or_create(
        subject="departments", defaults=appraisal.DEFAULT_WEIGHTS["departments"]
    )
    url = f"/admin/dashboards/appraisalweights/{row.pk}/change/"
    admin = Client()
    admin.force_login(make_user("district_admin", is_staff=True))
    data = {"on_time": 40, "satisfaction": 40, "reopen": 10, "overdue": 10, "visits": 0}
    assert admin.post(url, data).status_code == 302
    assert AppraisalWeights.objects.get(pk=row.pk).on_time == 40
    leader = Client()
    leader.force_login(make_user("district_leader", is_staff=True))
    assert leader.get(url).status_code == 200  # reads
    leader.post(url, {**data, "on_time": 1})
    assert AppraisalWeights.objects.get(pk=row.pk).on_time == 40  # cannot change
