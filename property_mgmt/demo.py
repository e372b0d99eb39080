from typing import Any


def seed(log: Any) -> None:
    """This app's part of the demo district."""
