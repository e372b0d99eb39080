"""The one transition table of a 微心愿.

States and the actions between them::

    posted      publish → published (reviewed, on the board); reject → rejected
    published   claim → claimed (one member, unit or volunteer; two at once: one wins)
    claimed     fulfil → fulfilled (with a photo)
    fulfilled   confirm → confirmed (the resident's community; the claimant's points)
    confirmed   thank → thanked

``who`` says whose the action is: ``keeper`` (the community's offices), ``claimant`` (staff
on behalf of the claimant, or the volunteer on their phone). The services read the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import WishState as S


@dataclass(frozen=True)
class WishTransition:
    action: str
    label: str | Promise
    source: str
    target: str
    who: str
    needs: tuple[str, ...] = ()


WISH_TRANSITIONS: dict[str, WishTransition] = {
    t.action: t
    for t in [
        WishTransition("publish", _("审核通过并上墙"), S.POSTED, S.PUBLISHED, "keeper"),
        WishTransition("reject", _("审核不通过"), S.POSTED, S.REJECTED, "keeper", ("note",)),
        WishTransition("claim", _("认领"), S.PUBLISHED, S.CLAIMED, "claimant", ("claimant",)),
        WishTransition("fulfil", _("登记实现"), S.CLAIMED, S.FULFILLED, "claimant", ("photo",)),
        WishTransition("confirm", _("社区确认"), S.FULFILLED, S.CONFIRMED, "keeper"),
        WishTransition("thank", _("致谢"), S.CONFIRMED, S.THANKED, "keeper", ("note",)),
    ]
}
