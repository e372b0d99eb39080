"""The two tree browsers (territory and party organisation) and their detail pages: the
actor's top nodes, children loaded on demand (htmx), search by name, code and pinyin
initials."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from governance import policies, selectors
from governance.counts import area_counts, area_coverage
from governance.forms import HouseholdForm
from governance.models import Area, AreaLevel

from .base import require


@login_required
def area_tree(request: HttpRequest) -> HttpResponse:
    """The territory tree: the actor's top areas, children loaded on demand (htmx); ``q``
    searches names, codes and pinyin initials."""
    require(policies.can_browse_tree(request.user))
    query = request.GET.get("q", "").strip()
    context: dict[str, Any] = {"query": query}
    if query:
        context["results"] = selectors.area_search(actor=request.user, query=query)
    else:
        context["nodes"] = list(selectors.area_tops(actor=request.user))
    return render(request, "governance/area_tree.html", context)


@login_required
def area_children(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_browse_tree(request.user))
    parent = selectors.area_get(actor=request.user, pk=pk)
    nodes = list(selectors.area_children(actor=request.user, parent=parent))
    return render(request, "governance/_area_nodes.html", {"nodes": nodes})


@login_required
def area_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_browse_tree(request.user))
    area = selectors.area_get(actor=request.user, pk=pk)
    selectors.attach_trail([area])
    context: dict[str, Any] = {
        "area": area,
        "children": list(selectors.area_children(actor=request.user, parent=area)),
        "coverage": area_coverage(area),
        "orgs": list(selectors.party_org_list(actor=request.user).filter(area=area)),
        "can_maintain": policies.can_maintain_tree(request.user),
    }
    if policies.can_read_ledgers(request.user):
        context["counts"] = area_counts(actor=request.user, area=area)
    if area.level == AreaLevel.BUILDING and policies.can_keep_ledger(request.user, area.path):
        context["household_form"] = HouseholdForm(
            buildings=Area.objects.filter(pk=area.pk), initial={"building": area.pk}
        )
    return render(request, "governance/area_detail.html", context)


@login_required
def org_tree(request: HttpRequest) -> HttpResponse:
    require(policies.can_browse_tree(request.user))
    query = request.GET.get("q", "").strip()
    context: dict[str, Any] = {"query": query}
    if query:
        context["results"] = selectors.party_org_search(actor=request.user, query=query)
    else:
        context["nodes"] = selectors.party_org_tops(actor=request.user)
    return render(request, "governance/org_tree.html", context)


@login_required
def org_children(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_browse_tree(request.user))
    parent = selectors.party_org_get(actor=request.user, pk=pk)
    nodes = list(selectors.party_org_children(actor=request.user, parent=parent))
    return render(request, "governance/_org_nodes.html", {"nodes": nodes})


@login_required
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_browse_tree(request.user))
    org = selectors.party_org_get(actor=request.user, pk=pk)
    context: dict[str, Any] = {
        "org": org,
        "children": list(selectors.party_org_children(actor=request.user, parent=org)),
        "coverage": selectors.coverage_for(org.area),
    }
    if policies.can_read_ledgers(request.user):
        members = selectors.member_list(actor=request.user).filter(org=org)
        context["members"] = list(members[:100])
        context["member_count"] = members.count()
    return render(request, "governance/org_detail.html", context)
