"""Credentials and personal data never reach a log line."""

import logging
import runpy
from pathlib import Path

from accounts.logging import MaskPersonalDataFilter


def test_a_query_string_api_key_is_redacted_in_log_lines():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"GET /open311/v2/requests.json?api_key=%s&status=open HTTP/1.1" 200',
        ("9f3c0ab1d2",),
        None,
    )
    MaskPersonalDataFilter().filter(record)
    assert "9f3c0ab1d2" not in record.getMessage()
    assert "api_key=[redacted]&status=open" in record.getMessage()


def test_gunicorns_access_log_writes_no_query_string():
    config = runpy.run_path(str(Path(__file__).resolve().parent.parent / "config/gunicorn_conf.py"))
    fmt = config["access_log_format"]
    assert "%(U)s" in fmt
    assert "%(q)s" not in fmt and "%(r)s" not in fmt and "%({" not in fmt
