"""The one way to write to the action log."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .context import actor_label_var, current_user_var, request_id_var
from .models import AuditEntry

# Field names whose values never reach the log in full.
SECRET_NAMES = ("password", "token", "secret", "api_key", "apikey")
MASK_LAST_FOUR = ("licence_number", "license_number", "dl_number")


def mask_value(name: str, value: Any) -> Any:
    lname = name.lower()
    if any(s in lname for s in SECRET_NAMES):
        return "********" if value not in (None, "") else value
    if any(s in lname for s in MASK_LAST_FOUR) and isinstance(value, str) and value:
        return "*" * max(len(value) - 4, 0) + value[-4:]
    return value


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def _clean(mapping: Mapping[str, Any] | None) -> dict:
    return {k: _jsonable(mask_value(k, v)) for k, v in (mapping or {}).items()}


def actor_display(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return actor_label_var.get() or "system"
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{full} ({user.get_username()})" if full else user.get_username()


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list]:
    """Field -> [before, after] for the fields whose values differ."""
    return {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)}


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


def log_action(
    action: str,
    *,
    obj: models.Model | None = None,
    actor=None,
    actor_name: str | None = None,
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. `actor` defaults to the user of the current request; `changes` maps field to
    [before, after] and is masked (secrets hidden, license numbers cut to the last four)."""
    if actor is None:
        candidate = current_user_var.get()
        if candidate is not None and getattr(candidate, "is_authenticated", False):
            actor = candidate
    masked_changes = {
        k: [_jsonable(mask_value(k, v[0])), _jsonable(mask_value(k, v[1]))] for k, v in (changes or {}).items()
    }
    return AuditEntry.objects.create(
        actor=actor,
        actor_name=(actor_name or actor_display(actor))[:200],
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        changes=masked_changes,
        data=_clean(data),
        request_id=request_id_var.get() or "",
    )
