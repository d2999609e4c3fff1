"""A court's case-number pattern, read both ways: to generate the next number, and to check a number a clerk
types (from the court's case system) before it is filed.

One pattern per court (CourtCalendar.case_number_pattern, e.g. "{court}-{yy}-{seq:06d}") is the court's case
number form; the placeholders are {court} (the court's code), {yyyy}, {yy} and {seq} with an optional width
({seq:06d}). Everything else in the pattern is literal text.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import datetime

_FIELDS = {"court", "yyyy", "yy", "seq"}


class PatternError(ValueError):
    """The pattern itself is unusable (an unknown placeholder or a broken brace)."""


@dataclass(frozen=True)
class CaseNumberForm:
    pattern: str
    court_code: str

    def _parts(self):
        try:
            parts = list(string.Formatter().parse(self.pattern))
        except ValueError as exc:
            raise PatternError(f"Case-number pattern {self.pattern!r}: {exc}") from None
        for _literal, field, spec, _conv in parts:
            if field is not None and field not in _FIELDS:
                raise PatternError(f"Case-number pattern {self.pattern!r} has an unknown placeholder {{{field}}}.")
            yield _literal, field, spec or ""

    def format(self, *, seq: int, when: datetime) -> str:
        return self.pattern.format(court=self.court_code, yyyy=when.year, yy=f"{when.year % 100:02d}", seq=seq).upper()

    @property
    def regex(self) -> re.Pattern:
        out = []
        for literal, field, spec in self._parts():
            out.append(re.escape(literal.upper()))
            if field == "court":
                out.append(re.escape(self.court_code.upper()))
            elif field == "yyyy":
                out.append(r"\d{4}")
            elif field == "yy":
                out.append(r"\d{2}")
            elif field == "seq":
                width = re.match(r"0?(\d+)d$", spec)
                out.append(rf"\d{{{int(width.group(1))},}}" if width else r"\d+")
        return re.compile("".join(out))

    @property
    def placeholder(self) -> str:
        """The form in words a clerk reads: "D34-YY-NNNNNN"."""
        out = []
        for literal, field, spec in self._parts():
            out.append(literal.upper())
            if field == "court":
                out.append(self.court_code.upper())
            elif field in ("yyyy", "yy"):
                out.append("Y" * len(field))
            elif field == "seq":
                width = re.match(r"0?(\d+)d$", spec)
                out.append("N" * (int(width.group(1)) if width else 1))
        return "".join(out)

    def matches(self, number: str) -> bool:
        return self.regex.fullmatch(number.strip().upper()) is not None

    def expected(self, *, example_seq: int, when: datetime) -> str:
        """The message part that shows the expected form, with a real example."""
        return f"{self.placeholder}, for example {self.format(seq=example_seq, when=when)} (Y is the year, N a digit)"
