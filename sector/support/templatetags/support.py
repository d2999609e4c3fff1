from django import template

from sector.core.permissions import organizations_with

from ..selectors import support_history_for_agency

register = template.Library()


@register.inclusion_tag("support/includes/agency_history.html", takes_context=True)
def support_history(context, agency, limit=5):
    """An agency's support history (agency page, onboarding checklist step 7). Renders nothing for a user who
    may not see the agency's requests; never shows a conversation, so never an internal note."""
    request = context["request"]
    return {
        "history": support_history_for_agency(agency=agency, user=request.user, limit=int(limit)),
        # Raising one for this agency: a role held here grants it (a LASA elsewhere raises nothing for it).
        "can_raise": agency.pk in (organizations_with(request.user, "support.add_supportrequest", "agency") or ()),
    }
