"""Carry the request's log context into the tasks it enqueues, through Celery message headers.

`before_task_publish` copies request_id, user_id and batch_id into the message headers; in the worker
`task_prerun` sets them (and the task's own id) as the log context for the task's run, and `task_postrun`
clears them. A task that enqueues another passes its context on the same way.
"""

from celery.signals import before_task_publish, task_postrun, task_prerun

from .context import batch_id_var, request_id_var, task_id_var, user_id_var

HEADER_PREFIX = "sector_"
_CARRIED = {"request_id": request_id_var, "user_id": user_id_var, "batch_id": batch_id_var}
_tokens: dict[str, list] = {}


def publish_headers() -> dict:
    """The headers a message published now carries (only the ids that are set)."""
    return {f"{HEADER_PREFIX}{name}": var.get() for name, var in _CARRIED.items() if var.get() is not None}


@before_task_publish.connect(dispatch_uid="sector.core.celery_context.publish")
def _add_headers(sender=None, headers=None, **kwargs):
    if headers is not None:
        for key, value in publish_headers().items():
            headers.setdefault(key, value)


def _from_request(request, name):
    value = getattr(request, f"{HEADER_PREFIX}{name}", None)
    if value is None and isinstance(getattr(request, "headers", None), dict):
        value = request.headers.get(f"{HEADER_PREFIX}{name}")
    return value


@task_prerun.connect(dispatch_uid="sector.core.celery_context.prerun")
def _enter(task_id=None, task=None, **kwargs):
    request = getattr(task, "request", None)
    tokens = [(task_id_var, task_id_var.set(task_id))]
    if request is not None and not getattr(request, "is_eager", False):
        # In a worker the ids come from the message; an eager task already runs inside the request's context.
        for name, var in _CARRIED.items():
            tokens.append((var, var.set(_from_request(request, name))))
    _tokens.setdefault(task_id or "", []).append(tokens)


@task_postrun.connect(dispatch_uid="sector.core.celery_context.postrun")
def _leave(task_id=None, **kwargs):
    stack = _tokens.get(task_id or "")
    if not stack:
        return
    for var, token in reversed(stack.pop()):
        try:
            var.reset(token)
        except ValueError:  # set in another context (a thread pool): clear instead
            var.set(None)
    if not stack:
        _tokens.pop(task_id or "", None)
