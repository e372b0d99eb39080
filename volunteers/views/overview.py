"""The overview at /volunteers/: each seed figure, computed live, as a link to its rows."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import policies
from ..figures import seed_figures
from .base import require


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    require(policies.can_use(request.user))
    return render(
        request,
        "volunteers/overview.html",
        {
            "figures": seed_figures(request.user),
            "campaigns": policies.can_use_campaigns(request.user),
            "tab": "overview",
        },
    )
