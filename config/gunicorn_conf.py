"""gunicorn's settings for the portal: ``gunicorn -c config/gunicorn_conf.py config.wsgi``.

The access log leaves out query strings: they can carry an Open311 ``api_key`` or a searched ID
number or phone, none of which may be written to a log.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 60
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'
