import pytest
from django.contrib.auth.models import Permission
from django.db import connection

from accounts.models import AuditAction, AuditLog, RoleGrant
from accounts.personal_data import (
    blind_index,
    can_unmask,
    decrypt,
    encrypt,
    mask_id_number,
    mask_phone,
)
from accounts.roles import Role
from accounts.services import audit_unmask

pytestmark = pytest.mark.django_db


def test_masks_keep_the_ends_only():
    assert mask_id_number("370405199001011234") == "3704**********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("") == mask_phone(None) == ""


def test_encryption_round_trips_and_is_randomised():
    first, second = encrypt("370405199001011234"), encrypt("370405199001011234")
    assert first != second and "1990" not in first
    assert decrypt(first) == decrypt(second) == "370405199001011234"


def test_the_blind_index_finds_the_same_value_however_typed():
    assert blind_index("37040519900101123x") == blind_index(" 37040519900101123X ")
    assert blind_index("370405199001011234") != blind_index("370405199001011235")
    assert "370405" not in blind_index("370405199001011234")


def test_unmasking_needs_the_permission_and_is_audited(make_user):
    user = make_user(Role.COMMUNITY_STAFF)
    assert not can_unmask(user)
    user.user_permissions.add(Permission.objects.get(codename="unmask_personal_data"))
    user = type(user).objects.get(pk=user.pk)  # permissions are cached per instance
    assert can_unmask(user)
    grant = RoleGrant.objects.get(user=user)
    audit_unmask(actor=user, target=grant, fields=["id_number"])
    entry = AuditLog.objects.get(action=AuditAction.UNMASK)
    assert entry.actor == user and entry.detail == {"fields": ["id_number"]}


def test_no_table_holds_a_plain_id_number_after_encryption():
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s", [encrypt("370405199001011234")])
        stored = cursor.fetchone()[0]
    assert "370405199001011234" not in stored
