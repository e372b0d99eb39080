"""gunicorn settings file for `make bench` (``-c bench/gunicorn_hooks.py``; the command line
sets the rest): each worker marks itself busy in ``BENCH_BUSY_DIR`` while it serves a
request, so that the harness can wait until no request of a row is still running before it
starts the next one (bench/serve.py, ``Server.drain``)."""

import os
from pathlib import Path
from typing import Any

_BUSY = os.environ.get("BENCH_BUSY_DIR")


def pre_request(worker: Any, req: Any) -> None:
    if _BUSY:
        Path(_BUSY, str(os.getpid())).touch()


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    if _BUSY:
        Path(_BUSY, str(os.getpid())).unlink(missing_ok=True)
