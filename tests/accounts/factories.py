from itertools import count
from typing import Any

import factory

from accounts.models import User
from accounts.services import role_grant_add

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
