"""The onboarding workflow's refusal, and the decorator that logs a refused attempt (training uses both)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from sector.core.audit import log_action
from sector.core.errors import DomainError

P = ParamSpec("P")
R = TypeVar("R")


class OnboardingError(DomainError):
    """A change the workflow refuses, with the reason in words the person can act on."""


def logs_refusal(action: str, obj_arg: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Log a refused attempt after its transaction rolled back (so the log entry survives), then re-raise."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return func(*args, **kwargs)
            except OnboardingError as exc:
                data: dict[str, Any] = {"reason": str(exc)}
                if exc.reasons:
                    data["reasons"] = exc.reasons
                log_action(f"{action}_refused", obj=kwargs.get(obj_arg), actor=kwargs.get("actor"), data=data)
                raise

        return wrapper

    return decorate
