"""Per-request context (request id, acting user) that services and the audit log read without a request."""

from contextlib import contextmanager
from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
current_user_var: ContextVar = ContextVar("current_user", default=None)
actor_label_var: ContextVar[str | None] = ContextVar("actor_label", default=None)
# For the logs and the tasks a request enqueues (sector.core.logging, sector.core.celery_context): ids only,
# never names or license numbers.
user_id_var: ContextVar[int | None] = ContextVar("user_id", default=None)
task_id_var: ContextVar[str | None] = ContextVar("task_id", default=None)
batch_id_var: ContextVar[str | None] = ContextVar("batch_id", default=None)

LOG_CONTEXT_VARS: dict[str, ContextVar] = {
    "request_id": request_id_var,
    "user_id": user_id_var,
    "task_id": task_id_var,
    "batch_id": batch_id_var,
}


@contextmanager
def acting_as(label: str):
    """Name the non-human actor (a shell command, a task) for audit entries written inside the block."""
    token = actor_label_var.set(label)
    try:
        yield
    finally:
        actor_label_var.reset(token)


@contextmanager
def log_context(**values):
    """Set log-context ids (request_id, user_id, task_id, batch_id) for the block, e.g. a feed batch's id."""
    tokens = [(LOG_CONTEXT_VARS[name], LOG_CONTEXT_VARS[name].set(value)) for name, value in values.items()]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)
