import pytest
from django.core.exceptions import ValidationError

from accounts.models import AuditAction, AuditLog, TextSize
from accounts.preferences import user_set_text_size
from accounts.roles import Role

pytestmark = pytest.mark.django_db

URL = "/accounts/text-size/"


def test_the_switch_keeps_the_size_on_the_account_and_returns_to_the_page(client, make_user):
    user = make_user(Role.GRID_WORKER)
    client.force_login(user)

    response = client.post(URL, {"size": "xlarge", "next": "/cases/?state=open"})

    assert response.status_code == 302
    assert response["Location"] == "/cases/?state=open"
    user.refresh_from_db()
    assert user.text_size == TextSize.XLARGE
    page = client.get("/").content.decode()
    assert '<html lang="zh-hans" class="text-size--xlarge">' in page
    pressed = 'value="xlarge" class="textsize__button textsize__button--xlarge" aria-pressed="true"'
    assert pressed in page


def test_a_new_session_of_the_same_user_opens_at_the_chosen_size(client, make_user):
    user = make_user(Role.COMMUNITY_STAFF)
    user_set_text_size(user=user, size=TextSize.LARGE)
    client.force_login(user)

    assert 'class="text-size--large"' in client.get("/").content.decode()


def test_the_change_is_audited_once(make_user):
    user = make_user(Role.COMMUNITY_STAFF)

    user_set_text_size(user=user, size=TextSize.LARGE)
    user_set_text_size(user=user, size=TextSize.LARGE)

    rows = AuditLog.objects.filter(action=AuditAction.PREFERENCE, actor=user)
    assert [row.detail for row in rows] == [{"text_size": ["standard", "large"]}]


def test_an_unknown_size_is_refused(client, make_user):
    user = make_user(Role.COMMUNITY_STAFF)
    client.force_login(user)

    assert client.post(URL, {"size": "huge"}).status_code == 400
    with pytest.raises(ValidationError):
        user_set_text_size(user=user, size="huge")
    user.refresh_from_db()
    assert user.text_size == TextSize.STANDARD


def test_before_login_the_size_is_kept_in_the_session(client):
    response = client.post(URL, {"size": "large", "next": "/accounts/login/"})

    assert response["Location"] == "/accounts/login/"
    assert 'class="text-size--large"' in client.get("/accounts/login/").content.decode()


def test_the_switch_does_not_send_anyone_to_another_site(client, make_user):
    client.force_login(make_user(Role.COMMUNITY_STAFF))

    response = client.post(URL, {"size": "large", "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_the_switch_takes_only_posts(client):
    assert client.get(URL).status_code == 405
