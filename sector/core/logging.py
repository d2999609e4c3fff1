"""Log records carry the ids an operator follows a piece of work by: request, user, task and feed batch.

Only ids: a user is their primary key, never a name or a license number. The ids come from the context
variables the middleware, the Celery signals (sector.core.celery_context) and the feed set.
"""

import logging

from .context import LOG_CONTEXT_VARS


class ContextFilter(logging.Filter):
    """Adds request_id, user_id, task_id and batch_id to every record (None when not set)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, var in LOG_CONTEXT_VARS.items():
            if not hasattr(record, name):
                setattr(record, name, var.get())
        return True


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """django-axes's name for a client in its log lines (AXES_CLIENT_STR_CALLABLE): a short hash of the user
    name (the same name gives the same hash, so lines can be followed) and the path; never the name itself."""
    import hashlib

    if isinstance(path_info, tuple | list):
        path_info = path_info[0] if path_info else ""
    digest = hashlib.sha256((username or "").encode()).hexdigest()[:12] if username else "-"
    return f'{{username_hash: "{digest}", path_info: "{path_info or ""}"}}'
