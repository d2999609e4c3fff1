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
