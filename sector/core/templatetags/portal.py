from django import template

from sector.core.models import AuditEntry

register = template.Library()


@register.inclusion_tag("includes/audit_timeline.html", takes_context=True)
def audit_timeline(context, obj, limit=50):
    """The record's history, newest first. The page that includes it has already checked the user may see the
    record, so its history is shown to the same people."""
    entries = list(
        AuditEntry.objects.for_object(obj)
        .select_related(None)
        .only("at", "actor_name", "action", "changes", "data", "request_id")[: int(limit)]
    )
    return {"entries": entries, "obj": obj, "limit": limit}


@register.filter
def mask_last4(value):
    """Show only the last four characters (licence numbers in lists)."""
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
