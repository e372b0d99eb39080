from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.roles import Role
from common.errors import Conflict
from grids.models import GradeChange, RecruitmentStatus
from supports.models import ApplicantResult
from supports.selectors import careers as selectors
from supports.services import careers
from tests.governance.factories import id_number
from tests.grids.factories import worker

from .factories import round_

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def applicant(position, **extra):
    fields = {
        "name": "应聘者",
        "gender": "M",
        "id_number": id_number(male=True),
        "education": "bachelor",
        "phone": "13800000000",
    } | extra
    return careers.applicant_add(actor=None, position=position, **fields)


def test_the_roster_shows_vacancies_against_the_quota(tree, make_user):
    careers.quota_set(actor=None, community=tree["community"], post="staff", quota=3)
    careers.quota_set(actor=None, community=tree["community"], post="head", quota=1)
    worker(tree["community"], post="staff")
    worker(tree["community"], post="staff", status=RecruitmentStatus.LEFT)
    worker(tree["community"], post="head")
    row = selectors.roster(actor=make_user(Role.STREET_STAFF)).get(pk=tree["community"].pk)
    lines = {line["post"]: line for line in selectors.posts_of(row)}
    assert (lines["staff"]["quota"], lines["staff"]["filled"], lines["staff"]["vacancies"]) == (
        3,
        1,
        2,
    )
    assert lines["head"]["vacancies"] == 0
    assert row.vacancies == 2
    short = selectors.roster(actor=make_user(Role.STREET_STAFF), short="yes")
    assert list(short) == [tree["community"]]


def test_openings_may_not_exceed_the_vacancies(tree):
    careers.quota_set(actor=None, community=tree["community"], post="staff", quota=2)
    first = round_()
    careers.position_add(
        actor=None, round=first, community=tree["community"], post="staff", openings=1
    )
    with pytest.raises(ValidationError, match="空缺 1 人"):
        careers.position_add(
            actor=None, round=round_(), community=tree["community"], post="staff", openings=2
        )


def test_hiring_makes_a_worker_on_probation_and_never_more_than_the_openings(tree, make_user):
    careers.quota_set(actor=None, community=tree["community"], post="staff", quota=3)
    batch = round_()
    position = careers.position_add(
        actor=None, round=batch, community=tree["community"], post="staff", openings=1, grade=2
    )
    a, b = (
        applicant(position, name="甲"),
        applicant(position, name="乙", gender="F", id_number=id_number(male=False)),
    )
    careers.round_advance(actor=None, round=batch, state="examining")
    for person in (a, b):
        careers.applicant_score(
            actor=None, applicant=person, written_score=Decimal("80"), interview_score=Decimal("90")
        )
        careers.applicant_decide(actor=None, applicant=person, result=ApplicantResult.PASSED)
    with pytest.raises(Conflict, match="公示"):
        careers.applicant_hire(actor=None, applicant=a, hired_on=TODAY())
    careers.round_advance(actor=None, round=batch, state="published")
    street = make_user(Role.STREET_STAFF)
    hired = careers.applicant_hire(actor=street, applicant=a, hired_on=TODAY())
    assert (hired.status, hired.post, hired.grade, hired.name) == ("probation", "staff", 2, "甲")
    assert GradeChange.objects.filter(worker=hired).count() == 1
    with pytest.raises(Conflict, match="录满"):
        careers.applicant_hire(actor=street, applicant=b, hired_on=TODAY())
    total = selectors.applicant_list(actor=street, round=batch.pk).get(pk=a.pk).total  # type: ignore[attr-defined]
    assert total == Decimal("84.00")


def test_an_applicant_applies_once_per_round_with_a_valid_id_number(tree):
    careers.quota_set(actor=None, community=tree["community"], post="staff", quota=3)
    position = careers.position_add(
        actor=None, round=round_(), community=tree["community"], post="staff", openings=1
    )
    number = id_number()
    applicant(position, id_number=number)
    with pytest.raises(ValidationError, match="已报名"):
        applicant(position, id_number=number)
    with pytest.raises(ValidationError) as caught:
        applicant(position, id_number="370405199001011234", phone="123")
    assert {"id_number", "phone"} <= set(caught.value.message_dict)


def test_a_community_does_not_run_recruitment(tree, make_user):
    with pytest.raises(PermissionDenied):
        careers.round_create(
            actor=make_user(Role.COMMUNITY_STAFF),
            title="x",
            year=2026,
            announced_on=date(2026, 1, 1),
            signup_ends_on=date(2026, 1, 2),
        )


def appraise(person, year, result="competent"):
    return careers.appraisal_record(actor=None, worker=person, year=year, result=result)


def test_a_promotion_needs_last_years_appraisal_and_goes_one_grade_up(tree, make_user):
    person = worker(tree["community"], grade=5, hired_on=date(2020, 1, 1))
    street = make_user(Role.STREET_STAFF)
    this_year = TODAY().year
    on = TODAY()
    with pytest.raises(ValidationError, match="缺少"):
        careers.worker_promote(
            actor=street, worker=person, to_post="staff", to_grade=6, effective_on=on
        )
    appraise(person, this_year - 1, "basic")
    with pytest.raises(ValidationError, match="基本称职"):
        careers.worker_promote(
            actor=street, worker=person, to_post="staff", to_grade=6, effective_on=on
        )


def test_promotion_history_is_written_to_the_grade_history(tree, make_user):
    person = worker(tree["community"], grade=5, hired_on=date(2020, 1, 1))
    street = make_user(Role.STREET_STAFF)
    appraise(person, TODAY().year - 1, "excellent")
    with pytest.raises(ValidationError, match="每次晋升一级"):
        careers.worker_promote(
            actor=street, worker=person, to_post="staff", to_grade=7, effective_on=TODAY()
        )
    promotion = careers.worker_promote(
        actor=street, worker=person, to_post="staff", to_grade=6, effective_on=TODAY()
    )
    person.refresh_from_db()
    assert person.grade == 6
    assert promotion.grade_change.grade == 6 and promotion.from_grade == 5
    with pytest.raises(Conflict, match="已用于"):
        careers.worker_promote(
            actor=street, worker=person, to_post="staff", to_grade=7, effective_on=TODAY()
        )


def test_a_higher_post_needs_a_vacancy(tree):
    person = worker(tree["community"], grade=8, hired_on=date(2020, 1, 1))
    appraise(person, TODAY().year - 1)
    careers.quota_set(actor=None, community=tree["community"], post="deputy", quota=0)
    with pytest.raises(ValidationError, match="没有空缺"):
        careers.worker_promote(
            actor=None, worker=person, to_post="deputy", to_grade=8, effective_on=TODAY()
        )
    careers.quota_set(actor=None, community=tree["community"], post="deputy", quota=1)
    careers.worker_promote(
        actor=None, worker=person, to_post="deputy", to_grade=8, effective_on=TODAY()
    )
    person.refresh_from_db()
    assert person.post == "deputy"


def test_an_appraisal_is_once_a_year_and_not_in_the_future(tree):
    person = worker(tree["community"], hired_on=date(2020, 1, 1))
    appraise(person, 2024)
    with pytest.raises(ValidationError, match="已有考核"):
        appraise(person, 2024)
    with pytest.raises(ValidationError):
        appraise(person, TODAY().year + 1)
    with pytest.raises(ValidationError, match="入职"):
        appraise(person, 2019)
