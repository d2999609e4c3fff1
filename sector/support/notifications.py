"""Emails of the support desk, rendered now and sent by Celery after commit (sector.core.mail).

Each function is given exactly what its email shows: a requester's email is built from the request and one
public reply, never from the thread, so an internal note has no way into it.
"""

from __future__ import annotations

from django.conf import settings

from sector.core.links import absolute_url
from sector.core.mail import send_templated_mail


def _link(sr) -> str:
    return absolute_url(sr)


def _send(to: list[str], name: str, **context) -> None:
    to = [address for address in to if address]
    if not to:
        return
    send_templated_mail(
        to=to,
        subject_template=f"support/email/{name}_subject.txt",
        body_template=f"support/email/{name}.txt",
        context={"portal_name": settings.PORTAL_NAME, "team_email": settings.SUPPORT_TEAM_EMAIL, **context},
    )


def request_received(sr) -> None:
    """To the WSP support team (a new request to triage) and to the requester (an acknowledgment)."""
    _send([settings.SUPPORT_TEAM_EMAIL], "new_request", sr=sr, link=_link(sr))
    _send([sr.requester.email], "received", sr=sr, link=_link(sr))


def request_assigned(sr) -> None:
    _send([sr.assignee.email], "assigned", sr=sr, link=_link(sr))


def support_replied(sr, message) -> None:
    assert not message.internal, "internal notes are never emailed to a requester"
    _send([sr.requester.email], "support_replied", sr=sr, message=message, link=_link(sr))


def requester_replied(sr, message) -> None:
    to = sr.assignee.email if sr.assignee_id and sr.assignee.email else settings.SUPPORT_TEAM_EMAIL
    _send([to], "requester_replied", sr=sr, message=message, link=_link(sr))


def status_changed(sr) -> None:
    _send([sr.requester.email], "status_changed", sr=sr, link=_link(sr))
