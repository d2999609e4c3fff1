"""The onboarding workflow's refusal, and the decorator that logs a refused attempt (training uses both)."""

from __future__ import annotations

import functools

from sector.core.audit import log_action
from sector.core.errors import DomainError


class OnboardingError(DomainError):
    """A change the workflow refuses, with the reason in words the person can act on."""


def logs_refusal(action: str, obj_arg: str):
    """Log a refused attempt after its transaction rolled back (so the log entry survives), then re-raise."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(**kwargs):
            try:
                return func(**kwargs)
            except OnboardingError as exc:
                data = {"reason": str(exc)}
                if exc.reasons:
                    data["reasons"] = exc.reasons
                log_action(f"{action}_refused", obj=kwargs.get(obj_arg), actor=kwargs.get("actor"), data=data)
                raise

        return wrapper

    return decorate
