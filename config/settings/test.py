"""The test suite: the real PostgreSQL and Redis named by DATABASE_URL and REDIS_URL."""

import os

from .base import *  # noqa: F403
from .base import REDIS_URL

SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdef"
DEBUG = False
PERSONAL_DATA_KEYS = ["dGVzdC1vbmx5LXBlcnNvbmFsLWRhdGEta2V5LTMyYnk="]
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {  # the manifest needs collectstatic; tests serve static files as they are
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Tests share the broker with nothing else; tasks run in-process unless a test asks otherwise.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CACHES = {
    "default": {
        "BACKEND": "common.cache.DegradingRedisCache",
        "LOCATION": REDIS_URL,
        # one prefix per pytest-xdist worker: a version bump of one test's writes
        # (common.fragments) must not empty another worker's kept fragments mid-test
        "KEY_PREFIX": f"portal-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}",
    }
}
# A read replica as a second connection onto the test database (common.db routes to it only
# outside transactions, so only transactional tests ever read there).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "1000/min"}}  # noqa: F405
