import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditLog
from accounts.roles import Role
from common.errors import Conflict
from supports.models import ProblemState
from supports.selectors import studio as selectors
from supports.services import studio
from tests.cases.factories import category

from .factories import problem, solved

pytestmark = pytest.mark.django_db


def test_a_problem_goes_from_raised_to_solved_with_a_timeline(tree, make_user):
    street = make_user(Role.STREET_STAFF)
    community = make_user(Role.COMMUNITY_STAFF)
    item = problem(tree["community"])
    studio.problem_transition(actor=street, problem=item, action="accept")
    studio.problem_transition(actor=street, problem=item, action="advise", advice="建立党员积分制")
    studio.problem_transition(actor=community, problem=item, action="follow_up", note="召开支委会")
    studio.problem_transition(actor=community, problem=item, action="solve", note="已落实")
    item.refresh_from_db()
    assert item.state == ProblemState.SOLVED and item.solved_on is not None
    assert item.advice == "建立党员积分制"
    actions = list(item.events.values_list("action", flat=True))
    assert actions == ["raise", "accept", "advise", "follow_up", "solve"]
    assert AuditLog.objects.filter(detail__event="problem.solve").count() == 1


def test_an_action_the_state_does_not_allow_is_a_conflict(tree):
    item = problem(tree["community"])
    with pytest.raises(Conflict, match="不能"):
        studio.problem_transition(actor=None, problem=item, action="solve", note="x")


def test_advice_and_notes_are_required(tree):
    item = problem(tree["community"])
    studio.problem_transition(actor=None, problem=item, action="accept")
    with pytest.raises(ValidationError) as caught:
        studio.problem_transition(actor=None, problem=item, action="advise", advice=" ")
    assert "advice" in caught.value.message_dict


def test_a_community_cannot_accept_its_own_problem_into_the_clinic(tree, make_user):
    item = problem(tree["community"])
    with pytest.raises(PermissionDenied):
        studio.problem_transition(
            actor=make_user(Role.COMMUNITY_STAFF), problem=item, action="accept"
        )


def test_another_community_cannot_follow_up(tree, make_user):
    item = problem(tree["community"])
    studio.problem_transition(actor=None, problem=item, action="accept")
    studio.problem_transition(actor=None, problem=item, action="advise", advice="意见")
    with pytest.raises(PermissionDenied):
        studio.problem_transition(
            actor=make_user(Role.COMMUNITY_STAFF, "other_community"),
            problem=item,
            action="follow_up",
            note="x",
        )


def test_reopening_a_solved_problem_takes_it_out_of_the_solved_count(tree, make_user):
    item = solved(tree["community"])
    solved(tree["other_community"])
    leader = make_user(Role.DISTRICT_LEADER)
    assert selectors.solved_count(actor=leader) == 2
    assert selectors.solved_count(actor=make_user(Role.COMMUNITY_STAFF)) == 1
    studio.problem_transition(actor=None, problem=item, action="reopen", note="复发")
    item.refresh_from_db()
    assert item.solved_on is None
    assert selectors.solved_count(actor=leader) == 1


def test_a_linked_case_must_be_the_communitys(tree, make_user):
    from cases.services import case_report

    reporter = make_user(Role.GRID_WORKER)
    kind = category(name="党建", parent_name="其他")
    ours = case_report(
        actor=reporter, title="党员活动室", description="x", category=kind, area=tree["building"]
    )
    item = problem(tree["community"])
    studio.problem_link_case(actor=None, problem=item, case=ours)
    item.refresh_from_db()
    assert item.case == ours
    other = problem(tree["other_community"])
    with pytest.raises(ValidationError, match="该社区"):
        studio.problem_link_case(actor=None, problem=other, case=ours)


def test_sessions_take_members_of_their_own_studio(tree):
    item = problem(tree["community"])
    member = studio.member_add(
        actor=None,
        studio=item.studio,
        name="李专家",
        role="expert",
        organisation="区委党校",
        joined_on=item.raised_on,
    )
    session = studio.session_record(
        actor=None,
        studio=item.studio,
        held_on=item.raised_on,
        kind="clinic",
        topic="organisation",
        title="专家门诊",
        attendees=[member],
    )
    assert list(session.attendees.all()) == [member]
    with pytest.raises(ValidationError):
        studio.session_record(
            actor=None,
            studio=item.studio,
            held_on=item.raised_on,
            kind="clinic",
            topic="organisation",
            title="空",
        )
