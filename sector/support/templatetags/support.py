from django import template

from ..selectors import support_history_for_agency

register = template.Library()


@register.inclusion_tag("support/includes/agency_history.html", takes_context=True)
def support_history(context, agency, limit=5):
    """An agency's support history (agency page, onboarding checklist step 7). Renders nothing for a user who
    may not see the agency's requests; never shows a conversation, so never an internal note."""
    request = context["request"]
    return {
        "history": support_history_for_agency(agency=agency, user=request.user, limit=int(limit)),
        "can_raise": request.user.has_perm("support.add_supportrequest"),
    }
