"""Per-request context (request id, acting user) that services and the audit log read without a request."""

from contextlib import contextmanager
from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
current_user_var: ContextVar = ContextVar("current_user", default=None)
actor_label_var: ContextVar[str | None] = ContextVar("actor_label", default=None)


@contextmanager
def acting_as(label: str):
    """Name the non-human actor (a shell command, a task) for audit entries written inside the block."""
    token = actor_label_var.set(label)
    try:
        yield
    finally:
        actor_label_var.reset(token)
