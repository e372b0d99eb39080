"""The cases' fixtures (people of every role, categories, a case factory), shared here."""

from tests.cases.conftest import cat, new_case, people  # noqa: F401
