"""The one base class of the portal's domain errors.

A service refuses a change by raising a subclass of `DomainError` whose message tells the person, in words they
can act on, why (and `reasons` lists the details when there are several). Views that only show the refusal can
catch `DomainError`; code that treats one refusal differently catches the app's own subclass.
"""

from __future__ import annotations


class DomainError(Exception):
    """A change or request the domain refuses; `str(exc)` is the message for the person."""

    def __init__(self, message: str = "", *, reasons: list[str] | None = None):
        super().__init__(message)
        self.reasons: list[str] = list(reasons or [])
