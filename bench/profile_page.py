#!/usr/bin/env python
"""Where a page's server time goes: one page requested in this process through Django's test
client (the whole middleware, scoping, templates), warmed up, then profiled with cProfile over
``--repeat`` requests. A script, not a test: it prints the mean time and the costliest
functions, and asserts nothing.

    DATABASE_URL=... .venv/bin/python bench/profile_page.py /cases/?state=in_progress \\
        --user load_district_leader [--repeat 20] [--top 25]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--user", default="load_district_leader")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    from django.test import Client

    from accounts.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=args.user))
    for _n in range(3):
        response = client.get(args.path)
        assert response.status_code == 200, response.status_code
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for _n in range(args.repeat):
        client.get(args.path)
    profile.disable()
    mean = (time.perf_counter() - started) / args.repeat * 1000
    print(f"{args.path} as {args.user}: {mean:.1f} ms a request under cProfile")
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
