"""Development on one machine (`make run`)."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")

from .base import *  # noqa: F403
from .base import DATABASES, env_int, env_str

SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-change-me-" + "x" * 20  # noqa: F405
DEBUG = True
# A fixed development key: demo data only. Production takes its own from PERSONAL_DATA_KEY.
PERSONAL_DATA_KEYS = PERSONAL_DATA_KEYS or ["ZGV2LW9ubHktcGVyc29uYWwtZGF0YS1rZXktMzJieXQ="]  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
INTERNAL_IPS = ["127.0.0.1"]
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
# The development server answers each request on a new thread and never closes a persistent
# connection of an ended thread: three clients used to exhaust PostgreSQL's 100 connections.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 0)
