"""The peers `make bench` sets our list pages beside, as a competent team would set them up.

The stock Django admin changelist of cases is measured twice: as the back office has it
(``cases.admin.CaseAdmin``: 100 rows a page and the full count of the table shown beside the
filtered count), and tuned for a table of a million rows the way its documentation advises
(``list_per_page = 20``, the page size of ours, and ``show_full_result_count = False``, so
that no unfiltered ``COUNT(*)`` runs). The tuned one is served under ``/bench/admin/`` by a
site of its own, mounted only by the benchmark's settings (``BENCH_FLOOR_VIEW``).
"""

from __future__ import annotations

from django.contrib import admin

from cases.admin import CaseAdmin
from cases.models import Case


class TunedCaseAdmin(CaseAdmin):
    list_per_page = 20
    show_full_result_count = False


tuned_site = admin.AdminSite(name="bench_tuned")
tuned_site.register(Case, TunedCaseAdmin)
