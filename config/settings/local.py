"""Development on one machine (`make run`)."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")

from .base import *  # noqa: F403
from .base import env_str

SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-change-me-" + "x" * 20  # noqa: F405
DEBUG = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
INTERNAL_IPS = ["127.0.0.1"]
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
