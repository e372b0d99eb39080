from itertools import count
from typing import Any

import factory

from accounts.models import Open311Client, User
from accounts.services import role_grant_add
from accounts.token_services import api_token_issue, open311_client_register
from governance.models import Area

PASSWORD = "Correct-horse-42"
_names = count(1)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="zh_CN")

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        password = kwargs.pop("password", PASSWORD)
        user = model_class(**kwargs)
        user.set_password(password)
        user.save()
        return user


def user_with_role(role: str, **scope: Any) -> User:
    """A user holding one grant: ``user_with_role("community_staff", area=community)``."""
    user = UserFactory.create(username=f"{role}_{next(_names)}")
    role_grant_add(actor=None, user=user, role=role, **scope)
    return user


def api_token_key(user: User, name: str = "测试令牌", days: int | None = None) -> str:
    """A new named API token of ``user``; returns the key (for ``Authorization: Token …``)."""
    _token, key = api_token_issue(user=user, name=name, days=days)
    return key


def open311_client_key(
    account: User, *, name: str = "", areas: Any = (), service_codes: Any = ()
) -> str:
    """A registered Open311 client acting as ``account``; returns its ``api_key``."""
    admin = user_with_role("security_admin", area=_district())
    client = Open311Client(
        name=name or f"测试客户端{next(_names)}", account=account, service_codes=list(service_codes)
    )
    key = open311_client_register(actor=admin, client=client)
    client.areas.set(areas)
    return key


def _district() -> Any:
    return Area.objects.get_root_nodes().first()
