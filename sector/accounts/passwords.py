"""Password checks beyond Django's own (AUTH_PASSWORD_VALIDATORS), all offline: no password leaves the portal.

`BreachedPasswordValidator` checks against the breach-derived list Django ships (20,000 passwords, Royce
Williams' list built from cracked breach hashes; django/contrib/auth/common-passwords.txt.gz), and, unlike
Django's CommonPasswordValidator, also after undoing the usual disguises: capitals, letters swapped for digits
or symbols (p@ssw0rd), and digits or symbols stuck on either end (Password2026!). It also refuses passwords
built on the words of this portal and its program (sector, wsp, olympia, ...), the first thing an attacker
who knows the target tries.
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from pathlib import Path

import django.contrib.auth
from django.core.exceptions import ValidationError

_DJANGO_LIST = Path(django.contrib.auth.__file__).resolve().parent / "common-passwords.txt.gz"
_CONTEXT_LIST = Path(__file__).resolve().parent / "data" / "context-words.txt"

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
                       "@": "a", "$": "s", "!": "i", "+": "t", "|": "i"})  # fmt: skip
_LEADING = re.compile(r"^[\W\d_]+")
_LEADING_SYMBOLS = re.compile(r"^[\W_]+")
_TRAILING = re.compile(r"[\W\d_]+$")
_MIN_CORE = 4  # a core shorter than this ("abc" of "abc2026!!xyz") says nothing


@lru_cache(maxsize=1)
def breached_passwords() -> frozenset[str]:
    with gzip.open(_DJANGO_LIST, "rt", encoding="utf-8") as f:
        return frozenset(line.strip() for line in f if line.strip())


@lru_cache(maxsize=1)
def context_words() -> frozenset[str]:
    lines = _CONTEXT_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def _variants(password: str) -> set[str]:
    """The password and what it is once the usual disguises are taken off: digits and symbols at either end
    (a leading digit may be a swapped letter: 0lympia), capitals, swapped letters, separators."""
    lowered = password.strip().lower()
    found = set()
    for lead in (None, _LEADING_SYMBOLS, _LEADING):
        for trail in (None, _TRAILING):
            core = lead.sub("", lowered) if lead else lowered
            core = trail.sub("", core) if trail else core
            found |= {core, core.translate(_LEET), trail.sub("", core.translate(_LEET)) if trail else core}
    found |= {re.sub(r"[\s\-_.]+", "", v) for v in found}
    return {v for v in found if v}


class BreachedPasswordValidator:
    """Refuses a password found in the breach list, also in disguise, or built on the portal's own words."""

    def validate(self, password: str, user=None) -> None:
        variants = _variants(password)
        if any(len(v) >= _MIN_CORE for v in variants & breached_passwords()):
            raise ValidationError(
                "This password (or the same word with capitals, digits or symbols swapped in or added at the ends) "
                "is in a list of passwords exposed in data breaches. Choose a longer phrase of unrelated words.",
                code="password_breached",
            )
        if variants & context_words():
            raise ValidationError(
                "This password is built on a word of this portal or its program (for example the portal's or an "
                "agency's name), the first guess of anyone who knows where it is used. Choose another phrase.",
                code="password_context_word",
            )

    def get_help_text(self) -> str:
        return (
            "Your password cannot be one exposed in data breaches, even with capitals, digits or symbols changed, "
            "nor a word of this portal."
        )
