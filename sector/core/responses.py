"""The answers every app's views give, written once: a stored file as a download, and the outcome of a form's
service call (the refusal or the success flashed, then back to the page).

The views stay the ones that check scope and permission; these helpers only shape the response.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .errors import DomainError
from .throttle import Verdict

T = TypeVar("T")


def stored_file_response(
    file: FieldFile | None,
    *,
    filename: str,
    content_type: str = "",
    missing: str = "This file is not available.",
) -> FileResponse:
    """The stored `file` as an attachment named `filename`. Not found (with the `missing` message) when there is
    no file or it cannot be read; the content type is guessed from the name unless given."""
    if not file:
        raise Http404(missing)
    try:
        handle = file.open("rb")
    except OSError:  # FileNotFoundError included: the row names a file the storage no longer has
        raise Http404(missing) from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream",
    )


def outcome_redirect(
    request: HttpRequest,
    to: Any,
    action: Callable[[], T],
    *,
    done: str | Callable[[T], str],
    refused: str = "",
) -> HttpResponse:
    """Run `action` (the service call of a posted form) and go back to `to` (what `redirect` takes): a refusal
    (a DomainError) is flashed as an error after the `refused` prefix, otherwise `done` (a text, or a function
    of the action's result) as a success."""
    try:
        result = action()
    except DomainError as exc:
        messages.error(request, f"{refused}{exc}")
    else:
        messages.success(request, done(result) if callable(done) else done)
    return redirect(to)


def throttled_response(request: HttpRequest, verdict: Verdict, *, what: str) -> HttpResponse:
    """429 with Retry-After and a page that says how long to wait. Nothing is logged: a flood of refused
    anonymous attempts must not fill the audit log."""
    minutes = max(1, -(-verdict.retry_after // 60))
    response = render(request, "registration/throttled.html", {"what": what, "minutes": minutes}, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response
