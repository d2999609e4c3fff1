"""Emails of the onboarding and training workflows, with a switch the demo seeder uses: demo history tells
nobody (`with quiet(): ...` sends nothing and marks notices as sent, so no sweep mails them later)."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from sector.core.mail import send_templated_mail

_quiet: ContextVar[bool] = ContextVar("onboarding_quiet", default=False)


@contextmanager
def quiet():
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def is_quiet() -> bool:
    return _quiet.get()


def mail(**kwargs) -> None:
    if not is_quiet():
        send_templated_mail(**kwargs)
