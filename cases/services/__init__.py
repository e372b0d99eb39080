"""Every write of the cases app, by topic (as Zulip's ``zerver/actions/``): one service per
transition of ``cases.workflow``, each registered for :func:`case_transition`.

* ``reporting``: 网格发现, reporting a case and correcting it before handling
* ``routing``: the desk's decisions: accept, reject, 社区呼叫, dispatch, merge
* ``handling``: 即时办结, replies, 回退, the result, verification, rating, reopening, closing
* ``extensions``: 延期申请 and its approval
* ``deadlines``: limits and steps, the overdue sweep, 加急 and 督办
* ``notifications``: who is told, the bell, the SMS / e-mail of an event
* ``outbox``: the messages written with the change and the relay that sends them once
* ``handlers``: what a case waits for (its units in handling), kept on the case for the queues
* ``frame``: the lock, checks, timeline row and audit row every transition shares

``from cases.services import case_report`` (and every service below) is the public way in.
"""

from .deadlines import (
    DEFAULT_LIMITS,
    case_mark_urgent,
    case_supervise,
    limit_days,
    sweep_overdue,
)
from .extensions import (
    MAX_EXTENSION_DAYS,
    case_approve_extension,
    case_refuse_extension,
    case_request_extension,
)
from .frame import SERVICES, case_transition
from .handlers import handlers_refresh
from .handling import (
    case_close,
    case_handle,
    case_rate,
    case_reopen,
    case_reply,
    case_resolve,
    case_send_back,
    case_verify,
)
from .notifications import (
    above_users,
    handler_users,
    notification_mark_read,
    notify,
)
from .outbox import messages_enqueue, outbox_counts, outbox_relay, outbox_retry
from .reporting import CASE_AREA_LEVELS, case_locate, case_report, case_update
from .routing import (
    case_accept,
    case_dispatch,
    case_escalate,
    case_merge,
    case_reject,
    routing_default,
)

__all__ = [
    "CASE_AREA_LEVELS",
    "DEFAULT_LIMITS",
    "MAX_EXTENSION_DAYS",
    "SERVICES",
    "above_users",
    "case_accept",
    "case_approve_extension",
    "case_close",
    "case_dispatch",
    "case_escalate",
    "case_handle",
    "case_locate",
    "case_mark_urgent",
    "case_merge",
    "case_rate",
    "case_refuse_extension",
    "case_reject",
    "case_reopen",
    "case_reply",
    "case_report",
    "case_request_extension",
    "case_resolve",
    "case_send_back",
    "case_supervise",
    "case_transition",
    "case_update",
    "case_verify",
    "handler_users",
    "handlers_refresh",
    "limit_days",
    "messages_enqueue",
    "notification_mark_read",
    "notify",
    "outbox_counts",
    "outbox_relay",
    "outbox_retry",
    "routing_default",
    "sweep_overdue",
]
