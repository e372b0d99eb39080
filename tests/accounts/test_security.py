import io
import logging
import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.checks import demo_passwords_check
from accounts.logging import MaskPersonalDataFilter, mask_text
from accounts.models import User
from governance.models import Area

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Short-1a", "至少需要 12 个字符"),
        ("alllowercaseletters", "至少 3 类"),
        ("lowercase-with-symbols", "至少 3 类"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, message):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert any(message in text for text in error.value.messages)


def test_a_long_password_of_three_classes_is_accepted():
    validate_password("Grid-worker-2026")
    validate_password("grid worker 2026 xyz!")


def test_id_numbers_and_phones_never_reach_the_log(caplog):
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "resident %s phone %s",
        ("370405199001011234", "13812345678"),
        None,
    )
    MaskPersonalDataFilter().filter(record)
    assert record.getMessage() == "resident 3704**********1234 phone 138****5678"
    assert mask_text("order 20260101123456789") == "order 20260101123456789"


def production_settings_error(**env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.pop("PERSONAL_DATA_KEY", None)
    base.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **env})
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=base,
        capture_output=True,
        text=True,
    )
    return result.returncode, result.stderr


def test_production_refuses_debug_missing_keys_and_demo_passwords():
    data_key = Fernet.generate_key().decode()
    good = {"DJANGO_SECRET_KEY": "k" * 60, "PERSONAL_DATA_KEY": data_key}
    code, err = production_settings_error(DJANGO_DEBUG="true", **good)
    assert code != 0 and "DEBUG" in err
    code, err = production_settings_error(PERSONAL_DATA_KEY=data_key)
    assert code != 0 and "DJANGO_SECRET_KEY" in err
    code, err = production_settings_error(DJANGO_SECRET_KEY="k" * 60)
    assert code != 0 and "PERSONAL_DATA_KEY" in err
    code, err = production_settings_error(DJANGO_SECRET_KEY="k" * 60, PERSONAL_DATA_KEY="short")
    assert code != 0 and "PERSONAL_DATA_KEY" in err
    code, err = production_settings_error(DJANGO_ALLOW_DEMO_PASSWORDS="1", **good)
    assert code != 0 and "demo passwords" in err
    code, err = production_settings_error(**good)
    assert code == 0, err


def test_the_deploy_check_names_accounts_with_the_demo_password(settings):
    settings.DEBUG = False
    User.objects.create_user("demo_left_over", password=settings.DEMO_PASSWORD)
    errors = demo_passwords_check(databases=["default"])
    assert [error.id for error in errors] == ["accounts.E001"]
    assert "demo_left_over" in errors[0].msg


def test_seed_demo_is_idempotent_and_makes_every_demo_account(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    first = (User.objects.count(), User.objects.get(username="community_staff").grants.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (
        User.objects.count(),
        User.objects.get(username="community_staff").grants.count(),
    ) == first
    expected = {
        "district_admin",
        "district_leader",
        "street_staff",
        "community_staff",
        "community_staff_2",
        "grid_worker",
        "dept_liaison",
        "property_staff",
        "security_admin",
        "auditor",
    }
    assert expected <= set(User.objects.values_list("username", flat=True))
    assert User.objects.get(username="auditor").check_password("Portal-demo-2026")
    staff_2 = Area.objects.get(grants__user__username="community_staff_2")
    staff_1 = Area.objects.get(grants__user__username="community_staff")
    assert staff_1.name == "华阳社区"
    assert staff_1.path[: Area.steplen * 2] != staff_2.path[: Area.steplen * 2]  # another street


def test_seed_demo_refuses_demo_passwords_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-demo-passwords"):
        call_command("seed_demo")
    call_command("seed_demo", "--allow-demo-passwords", stdout=io.StringIO())
    assert User.objects.filter(username="district_admin").exists()
