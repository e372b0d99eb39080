"""The cases' fixtures (people of every role, categories, a case factory), shared here."""

from tests.cases.conftest import cat, grid_cat, media_root, new_case, people  # noqa: F401
