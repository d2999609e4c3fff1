"""The feed's HTTP API (contracts/FEED.md): token-authenticated, CSRF-exempt, JSON in and out, never a 500."""

from __future__ import annotations

import logging

import orjson
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from sector.core.context import log_context
from sector.core.throttle import throttle_hit

from .choices import BATCH_ID_PATTERN, MAX_BODY_BYTES
from .services import FeedError, batch_ingest, batch_results, credential_for_header, parse_envelope

logger = logging.getLogger(__name__)


def _json(status: int, body: dict) -> HttpResponse:
    return HttpResponse(orjson.dumps(body), status=status, content_type="application/json")


def _error(status: int, message: str) -> HttpResponse:
    return _json(status, {"error": message})


def _wrong_method(allowed: str, message: str) -> HttpResponse:
    response = _error(405, message)
    response["Allow"] = allowed
    return response


def _too_many(credential) -> HttpResponse | None:
    """429 with Retry-After once a credential is past its rate (`feed.credential`), else None. Counted per
    credential, so one sender's burst never slows another; shared by every worker process."""
    verdict = throttle_hit(scope="feed.credential", value=str(credential.pk))
    if verdict.allowed:
        return None
    response = _error(
        429,
        f"Too many requests for this credential: at most {verdict.limit} per period. "
        f"Send again in {verdict.retry_after} seconds (Retry-After); nothing was stored.",
    )
    response["Retry-After"] = str(verdict.retry_after)
    return response


def _unauthorized() -> HttpResponse:
    response = _error(401, "A valid feed token is required: Authorization: Bearer <token>.")
    response["WWW-Authenticate"] = 'Bearer realm="sector-feed"'
    return response


@csrf_exempt
@login_not_required
def batches(request):
    """POST /api/feed/v1/batches"""
    if request.method != "POST":
        return _wrong_method("POST", "POST a batch here.")
    credential = credential_for_header(request.META.get("HTTP_AUTHORIZATION"))
    if credential is None:
        return _unauthorized()
    if (refused := _too_many(credential)) is not None:
        return refused
    content_type = request.META.get("CONTENT_TYPE", "")
    media_type, _, params = content_type.partition(";")
    if media_type.strip().lower() != "application/json" or (
        "charset" in params.lower() and "utf-8" not in params.lower().replace(" ", "")
    ):
        return _error(415, "Send the batch as Content-Type: application/json (UTF-8).")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _error(400, "Content-Length is not a number.")
    if length > MAX_BODY_BYTES:
        return _error(413, f"A batch is at most {MAX_BODY_BYTES:,} bytes; this one is {length:,}.")
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return _error(413, f"A batch is at most {MAX_BODY_BYTES:,} bytes.")
    try:
        envelope = parse_envelope(body)
        with log_context(batch_id=envelope.batch_id):  # in the logs and the tasks this batch enqueues
            status, result = batch_ingest(credential=credential, envelope=envelope)
    except FeedError as exc:
        return _error(exc.status, exc.message)
    except Exception:  # noqa: BLE001 - the transaction rolled back: nothing stored, the sender may retry
        logger.exception("feed batch could not be stored")
        response = _error(503, "The portal could not store this batch just now; nothing was stored. Send it again.")
        response["Retry-After"] = str(settings.FEED_RETRY_AFTER_SECONDS)
        return response
    return _json(status, result)


@csrf_exempt
@login_not_required
def batch_detail(request, batch_id: str):
    """GET /api/feed/v1/batches/<batch_id>: the stored results, for a sender that timed out."""
    if request.method != "GET":
        return _wrong_method("GET", "GET a batch's results here.")
    credential = credential_for_header(request.META.get("HTTP_AUTHORIZATION"))
    if credential is None:
        return _unauthorized()
    if (refused := _too_many(credential)) is not None:
        return refused
    import re

    if not re.match(BATCH_ID_PATTERN, batch_id):
        return _error(404, "No batch with that batch_id from this sender.")
    result = batch_results(credential=credential, batch_id=batch_id)
    if result is None:
        return _error(404, "No batch with that batch_id from this sender.")
    return _json(200, result)
