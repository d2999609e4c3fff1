"""One confirmation step for every action a user cannot undo alone (issue 11, "Actions that cannot slip").

The action's form posts as usual. The view calls `confirmation_required(...)` before doing anything: when the
POST does not carry `confirmed=1` it answers with a page (or, for an htmx request, a fragment) that names what
will happen and repeats every posted field as a hidden input, so pressing "Confirm" posts the same data again
with `confirmed=1`. It works without JavaScript and the same way through htmx; nothing is changed until the
second post. Validation that can fail (a bad case number, a missing reason) runs before asking, so a person is
never asked to confirm something that would be refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "confirmed"
_NOT_REPEATED = {"csrfmiddlewaretoken", CONFIRM_FIELD}


def is_confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "1"


def confirmation_required(
    request: HttpRequest,
    *,
    title: str,
    consequences: Sequence[str],
    confirm_label: str,
    cancel_url: str,
    items: Iterable[str] = (),
    action_url: str | None = None,
    danger: bool = True,
    breadcrumbs: Sequence[tuple[str, str]] = (),
) -> HttpResponse | None:
    """None when the user has confirmed; otherwise the response that asks them to.

    `consequences` are sentences naming what will happen ("The ticket is filed with case number …");
    `items` lists the records the action touches (shown as a list, e.g. the case numbers bulk accept gives).
    """
    if is_confirmed(request):
        return None
    hidden = [
        (name, value) for name in request.POST for value in request.POST.getlist(name) if name not in _NOT_REPEATED
    ]
    context = {
        "title": title,
        "consequences": list(consequences),
        "items": list(items),
        "confirm_label": confirm_label,
        "cancel_url": cancel_url,
        "action_url": action_url or request.get_full_path(),
        "hidden": hidden,
        "danger": danger,
        "confirm_field": CONFIRM_FIELD,
        "breadcrumbs": list(breadcrumbs),
    }
    if getattr(request, "htmx", False):
        return render(request, "core/partials/confirm.html", context)
    return render(request, "core/confirm.html", context)
