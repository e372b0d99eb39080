#!/usr/bin/env python
"""Make docs/screenshots/ with Debian's chromium: the login page and a home page on a phone
width and a desktop width, and the main pages of each part of the portal. Uses a running portal
(`make run`), or starts one itself on the demo district."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu"]
PASSWORD = "Portal-demo-2026"
DESKTOP, PHONE = (1280, 800), (360, 740)

#: (file name, demo user, path, viewport); "{case}" is the first case of the user's case list.
PAGES = [
    ("cases-list-community-staff-desktop", "community_staff", "/cases/", DESKTOP),
    ("case-page-community-staff-desktop", "community_staff", "{case}", DESKTOP),
    ("queue-street-staff-desktop", "street_staff", "/cases/queue/", DESKTOP),
    ("report-grid-worker-phone", "grid_worker", "/cases/new/", PHONE),
    (
        "households-community-staff-desktop",
        "community_staff",
        "/governance/ledgers/households/",
        DESKTOP,
    ),
    ("area-tree-district-admin-desktop", "district_admin", "/governance/areas/", DESKTOP),
    ("grid-map-community-staff-desktop", "community_staff", "/grids/map/", DESKTOP),
    ("staffing-street-staff-desktop", "street_staff", "/grids/staffing/", DESKTOP),
    ("home-grid-worker-phone", "grid_worker", "/", PHONE),
]


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].button--primary")
    page.wait_for_url(f"{base}/")


def answering(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
            return bool(response.status == 200)
    except OSError:
        return False


def main() -> int:
    base = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000")
    server = None
    if not answering(f"{base}/accounts/login/"):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
        python = str(Path(sys.executable))
        subprocess.run([python, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run([python, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True)
        server = subprocess.Popen(
            [python, "manage.py", "runserver", "--noreload", "127.0.0.1:8000"], cwd=ROOT, env=env
        )
        deadline = time.monotonic() + 60
        while not answering(f"{base}/accounts/login/"):
            if time.monotonic() > deadline:
                raise SystemExit("the portal did not start")
            time.sleep(0.5)
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, viewport in [("desktop", DESKTOP), ("phone", PHONE)]:
                page = browser.new_page(
                    viewport={"width": viewport[0], "height": viewport[1]}, locale="zh-CN"
                )
                page.goto(f"{base}/accounts/login/")
                page.screenshot(path=str(OUT / f"login-{name}.png"), full_page=True)
                page.fill("#id_username", "community_staff")
                page.fill("#id_password", PASSWORD)
                page.click("button[type=submit].button--primary")
                page.wait_for_url(f"{base}/")
                page.screenshot(path=str(OUT / f"home-community-staff-{name}.png"), full_page=True)
                page.close()
            for name, username, path, viewport in PAGES:
                page = browser.new_page(
                    viewport={"width": viewport[0], "height": viewport[1]}, locale="zh-CN"
                )
                log_in(page, base, username)
                if path == "{case}":
                    page.goto(f"{base}/cases/")
                    link = page.locator("td[data-label] a[href^='/cases/']").first
                    path = link.get_attribute("href") or "/cases/"
                page.goto(f"{base}{path}")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
                page.close()
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
    for made in sorted(OUT.glob("*.png")):
        print(made.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
