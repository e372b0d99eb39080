from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    summary = selectors.home_summary(request.user)
    return render(request, "shell/home.html", {"summary": summary})
