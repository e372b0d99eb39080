import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

application = get_wsgi_application()

if os.environ["DJANGO_SETTINGS_MODULE"].endswith(".production"):
    # Production refuses to serve while a system check fails: unsafe settings, and accounts that
    # still have the demo password, which needs the database (a check run without it skips it).
    from django.core.management import call_command

    call_command("check", deploy=True, fail_level="ERROR", databases=["default"])
