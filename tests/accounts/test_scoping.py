"""visible_to(actor): the one scoping mechanism, through the areas endpoint."""

import pytest

from accounts.roles import Role
from accounts.scoping import forget_scope
from accounts.services import role_grant_add
from governance.models import Area

pytestmark = pytest.mark.django_db


def names(queryset):
    return set(queryset.values_list("name", flat=True))


def test_a_community_grant_covers_that_community_and_what_lies_below(tree, make_user):
    user = make_user(Role.COMMUNITY_STAFF)
    assert names(Area.objects.visible_to(user)) == {"1号楼", "甲社区", "甲小区"}


def test_a_street_grant_covers_the_street_subtree_only(tree, make_user):
    user = make_user(Role.STREET_STAFF)
    assert names(Area.objects.visible_to(user)) == {"1号楼", "甲社区", "甲小区", "甲街道"}


def test_district_roles_see_the_whole_district(tree, make_user):
    for role in (Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER):
        assert Area.objects.visible_to(make_user(role)).count() == len(tree)


def test_grants_add_up(tree, make_user):
    user = make_user(Role.COMMUNITY_STAFF)
    role_grant_add(actor=None, user=user, role=Role.COMMUNITY_STAFF, area=tree["other_community"])
    forget_scope(user)
    assert "乙小区" in names(Area.objects.visible_to(user))


def test_department_and_company_staff_hold_no_area(tree, make_user):
    assert not Area.objects.visible_to(make_user(Role.DEPARTMENT_LIAISON)).exists()
    assert not Area.objects.visible_to(make_user(Role.PROPERTY_STAFF)).exists()


def test_anonymous_and_inactive_users_see_nothing(tree, make_user):
    from django.contrib.auth.models import AnonymousUser

    assert not Area.objects.visible_to(AnonymousUser()).exists()
    user = make_user(Role.DISTRICT_ADMIN, is_active=False)
    assert not Area.objects.visible_to(user).exists()


def test_scope_is_loaded_with_one_query_per_request(tree, make_user, django_assert_num_queries):
    user = make_user(Role.COMMUNITY_STAFF)
    forget_scope(user)
    with django_assert_num_queries(3):  # the grants once, then one query per list
        list(Area.objects.visible_to(user))
        list(Area.objects.visible_to(user))


def test_a_grant_must_fit_its_role(tree, department):
    from django.core.exceptions import ValidationError

    from tests.accounts.factories import UserFactory

    user = UserFactory.create()
    with pytest.raises(ValidationError, match="须授权在"):
        role_grant_add(actor=None, user=user, role=Role.DEPARTMENT_LIAISON, area=tree["community"])
    with pytest.raises(ValidationError, match="社区"):
        role_grant_add(actor=None, user=user, role=Role.COMMUNITY_STAFF, area=tree["street"])


def test_only_a_district_admin_grants_roles(tree, make_user):
    from django.core.exceptions import PermissionDenied

    street = make_user(Role.STREET_STAFF)
    with pytest.raises(PermissionDenied):
        role_grant_add(actor=street, user=street, role=Role.STREET_STAFF, area=tree["other_street"])
