"""Benchmarks (`make bench`): production-like (DEBUG off, compiled static files, gunicorn) on
plain HTTP over loopback, with the framework-floor view switched on."""

import os

from .base import *  # noqa: F403

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "bench-only-secret-key-" + "b" * 40
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
PERSONAL_DATA_KEYS = PERSONAL_DATA_KEYS or ["YmVuY2gtb25seS1wZXJzb25hbC1kYXRhLWtleS0zMmI="]  # noqa: F405
BENCH_FLOOR_VIEW = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
