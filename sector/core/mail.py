"""Mail helper: render now, send through Celery after commit; and the one switch that mutes it.

Every email of the portal goes through `send_templated_mail`, so `muted()` silences them all: `seed_demo`
runs every demo seeder inside it, and demo history (returned reports, support replies, notices) tells
nobody without each seeder or service having to be asked.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.template.loader import render_to_string

from .jobs import enqueue
from .tasks import send_email_task

_muted: ContextVar[bool] = ContextVar("sector_mail_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """No email is sent inside the block (work that is mailed later, such as notices, asks `is_muted`)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    return _muted.get()


def send_templated_mail(
    *, to: list[str], subject_template: str, body_template: str, context: dict, html_template: str | None = None
) -> None:
    if is_muted():
        return
    subject = "".join(render_to_string(subject_template, context).splitlines()).strip()
    body = render_to_string(body_template, context)
    html = render_to_string(html_template, context) if html_template else None
    enqueue(send_email_task, subject=subject, body=body, to=list(to), html=html)
