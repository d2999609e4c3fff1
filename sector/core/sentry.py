"""Optional error reporting (sentry-sdk) when SENTRY_DSN is set: no PII, and every event scrubbed.

The portal holds names, dates of birth and license numbers; an error report needs none of them. The SDK is
told not to send PII or local variables, and `scrub_event` (before_send) keeps only the user's id, drops
cookies, bodies, query strings and sensitive headers, and masks anything that looks like a license number,
an email address or a bearer token in messages and exception values.
"""

import re
from typing import Any

SENSITIVE_HEADERS = {"authorization", "cookie", "set-cookie", "x-csrftoken", "x-api-key", "proxy-authorization"}
FILTERED = "[Filtered]"
_PATTERNS = [
    re.compile(r"(?i)bearer\s+[A-Za-z0-9._~+/=-]+"),
    re.compile(r"sfd_[A-Za-z0-9_-]+"),
    re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),
    # Washington license numbers (WDL + 9) and the older 12-character form (5 letters, 3, 2 digits, 2 letters).
    re.compile(r"\bWDL[A-Z0-9]{9}\b"),
    re.compile(r"\b[A-Z*]{5}[A-Z*]{2}[0-9]{3}[A-Z0-9]{2}\b"),
]


def scrub_text(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(FILTERED, text)
    return text


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """before_send: strip what could identify a person or open a session; keep what finds the bug."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("cookies", "data", "query_string", "env"):
            if key in request:
                request[key] = FILTERED
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {k: (FILTERED if k.lower() in SENSITIVE_HEADERS else v) for k, v in headers.items()}
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    for entry in (event.get("exception") or {}).get("values") or []:
        if isinstance(entry.get("value"), str):
            entry["value"] = scrub_text(entry["value"])
        for frame in (entry.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        for key in ("message", "formatted"):
            if isinstance(logentry.get(key), str):
                logentry[key] = scrub_text(logentry[key])
        logentry.pop("params", None)
    if isinstance(event.get("message"), str):
        event["message"] = scrub_text(event["message"])
    for crumb in (event.get("breadcrumbs") or {}).get("values") or []:
        if isinstance(crumb.get("message"), str):
            crumb["message"] = scrub_text(crumb["message"])
        crumb.pop("data", None)
    return event


def init_sentry(*, dsn: str, environment: str) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=0.0,
    )
