from dataclasses import dataclass, field

from django import template

from sector.core import formatting
from sector.core.models import AuditEntry

register = template.Library()


@dataclass
class HistoryRow:
    """One audit entry as the timeline shows it: labels and readable values, never field names or raw stamps."""

    at: object
    actor_name: str
    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def history_rows(entries, model) -> list[HistoryRow]:
    rows = []
    for e in entries:
        changes = e.changes or {}
        title = formatting.status_label(model, changes) or e.verb[:1].upper() + e.verb[1:]
        rows.append(
            HistoryRow(
                at=e.at,
                actor_name=e.actor_name,
                title=title,
                facts=[
                    (formatting.field_label(model, k), formatting.value_label(model, k, v))
                    for k, v in (e.data or {}).items()
                ],
                changes=[
                    (
                        formatting.field_label(model, k),
                        formatting.value_label(model, k, pair[0] if pair else None),
                        formatting.value_label(model, k, pair[1] if pair and len(pair) > 1 else None),
                    )
                    for k, pair in changes.items()
                ],
            )
        )
    return rows


@register.inclusion_tag("includes/audit_timeline.html", takes_context=True)
def audit_timeline(context, obj, limit=50):
    """The record's history, newest first. The page that includes it has already checked the user may see the
    record, so its history is shown to the same people."""
    entries = list(
        AuditEntry.objects.for_object(obj)
        .select_related(None)
        .only("at", "actor_name", "action", "changes", "data", "request_id")[: int(limit)]
    )
    return {"entries": history_rows(entries, type(obj)), "obj": obj, "limit": int(limit)}


@register.filter
def crispy_cached(form):
    """`{{ form|crispy_cached }}`: what `{{ form|crispy }}` renders, kept per process for an unbound form with the
    same fingerprint (sector/core/form_render.py)."""
    from sector.core.form_render import render_crispy

    return render_crispy(form)


@register.filter
def crispy_field_cached(bound_field):
    """`{{ form.field|crispy_field_cached }}`: what `|as_crispy_field` renders, kept per process for the same field,
    value and errors (sector/core/form_render.py)."""
    from sector.core.form_render import render_crispy_field

    return render_crispy_field(bound_field)


@register.filter
def pacific(value, variant=""):
    """`{{ dt|pacific }}` -> "Dec 3, 2026, 4:05 PM PST": every time a person reads, in Pacific time with the zone.
    `{{ dt|pacific:"weekday" }}` -> "Thu, Dec 3, 2026, 4:05 PM PST"."""
    return formatting.pacific(value, formatting.FORMATS[variant])


@register.filter
def pacific_time(value):
    """`{{ dt|pacific_time }}` -> "4:05 PM PST", for a line that already names the day."""
    return formatting.pacific_time(value)


@register.filter
def money(value):
    """`{{ amount|money }}` -> "$1,250.00" (an em dash when there is none)."""
    return formatting.money(value)


@register.filter
def duration(value, unit="days"):
    """`{{ delta|duration:"days" }}` -> "12 days": one unit, chosen by the screen."""
    return formatting.duration(value, unit)


@register.filter
def since(value, unit="days"):
    """`{{ dt|since:"hours" }}` -> "5 hours": how long ago, in the screen's one unit."""
    return formatting.since(value, unit)


@register.filter
def mask_last4(value):
    """Show only the last four characters (license numbers in lists)."""
    if not value:
        return ""
    value = str(value)
    return "•" * max(len(value) - 4, 0) + value[-4:]


@register.simple_tag(takes_context=True)
def cursor_url(context, cursor):
    """The current URL with `cursor` replaced (keeps filters)."""
    params = context["request"].GET.copy()
    params.pop("cursor", None)
    if cursor:
        params["cursor"] = cursor
    query = params.urlencode()
    return f"?{query}" if query else "?"


@register.filter
def role_label(name):
    """A group name as people read it: 'collision_reviewer' -> 'Collision reviewer'."""
    from sector.accounts.roles import ROLES

    role = ROLES.get(name)
    return role.label if role else name


@register.simple_tag(takes_context=True)
def can(context, action, obj):
    """`{% can "accept" ticket as may_accept %}`: the policy's answer for the signed-in user, so a page offers
    exactly the buttons the service would honor."""
    from sector.core.permissions import can as policy_can

    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or obj is None:
        return False
    return policy_can(user, action, obj)
