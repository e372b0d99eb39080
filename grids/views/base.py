"""What the grids pages share: the permission guard, the list-page base of the grids ledgers
(their export is audited, their tabs are the grids tabs) and the community filter."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from common.errors import message_errors
from common.excel import xlsx_response
from common.listpage import ListPage
from governance.models import Area
from grids import selectors

__all__ = ["GridsListPage", "export", "message_errors", "pk_of", "require", "yes_no"]


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def export(request: HttpRequest, *, name: str, headers: list[str], rows: Any) -> HttpResponse:
    """An audited Excel export of a page that is not a list (the staffing check)."""
    audit_record(action=AuditAction.EXPORT, actor=request.user, request=request, target=name)
    return xlsx_response(filename=name, title=name, headers=headers, rows=rows)


def pk_of(obj: Any) -> int | None:
    return obj.pk if obj is not None else None


def yes_no(value: bool) -> str:
    return _("是") if value else _("否")


class GridsListPage(ListPage):
    """A grids ledger (台账): under the grids tabs, 30 rows a page, the export audited under
    the ledger's name."""

    per_page = 30
    template_name = "grids/ledger.html"
    #: The grids tab the page is under.
    tab = ""

    def exported(self, rows: Any) -> None:
        audit_record(
            action=AuditAction.EXPORT,
            actor=self.request.user,
            request=self.request,
            target=str(self.export_name or self.title),
        )

    def communities(self) -> QuerySet[Area]:
        """The communities the filter offers: those in the actor's scope."""
        return selectors.communities_in_scope(actor=self.request.user)
