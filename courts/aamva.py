"""Read the AAMVA DL/ID string a USB-HID 2-D scanner types from a driver license's PDF417 barcode.

Why hand-written: the one Python package on PyPI for this (aamva-parser 0.1.2, April 2026, a machine-made port
of a TypeScript library, beta) matches each element with a case-insensitive regular expression anywhere in
the text, reads every date as MMDDCCYY (wrong for Canadian cards and version 01, which write CCYYMMDD), cannot
split the elements when a keyboard-wedge scanner drops the line feeds, and keeps the whole scanned string on
its result object (the portal must never hold it past the request). What the counter needs is small: the
header, the DL/ID subfile, and six elements, read the same way whatever the scanner did to the control
characters.

The layout (AAMVA DL/ID Card Design Standard, versions 01–10 and later): a header "@" LF RS CR "ANSI " (some
version-01 cards: "AAMVA"), the issuer identification number (6 digits), the AAMVA version (2), the
jurisdiction version (2; absent in version 01), the number of subfiles (2) and one 10-character designator
per subfile; then each subfile, "DL" or "ID" for the license, its elements each a 3-letter id and a value
ended by LF, the subfile ended by CR.

A scanner that "types" the string into a browser field sends LF and CR as Enter (a line break in a text area,
"\\r\\n" once posted) and usually drops RS; some setups drop every control character. So any run of CR, LF, RS
and GS is a separator here, and when there are none the elements are split at the element ids this module
knows. A scan typed with Caps Lock on arrives with its case inverted ("ansi "): that is undone too.

Nothing here logs, stores or keeps the input: `parse` returns a `LicenceScan` without it, whose repr masks
the license number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .choices import CANADIAN_JURISDICTIONS

# The element ids of the DL/ID subfile (AAMVA CDS, all versions), used to split a scan whose separators were
# dropped. Listed once; the reader below uses a few.
_IDS = """
    DAA DAB DAC DAD DAE DAF DAG DAH DAI DAJ DAK DAL DAM DAN DAO DAP DAQ DAR DAS DAT DAU DAV DAW DAX DAY DAZ
    DBA DBB DBC DBD DBE DBF DBG DBH DBI DBJ DBK DBL DBM DBN DBO DBP DBQ DBR DBS
    DCA DCB DCD DCE DCF DCG DCH DCI DCJ DCK DCL DCM DCN DCO DCP DCQ DCR DCS DCT DCU
    DDA DDB DDC DDD DDE DDF DDG DDH DDI DDJ DDK DDL
"""
ELEMENT_IDS = frozenset(_IDS.split())
_SEPARATORS = re.compile(r"[\r\n\x1e\x1d]+")
_HEADER = re.compile(r"(?:ANSI|AAMVA) ?(\d{6})(\d{2})")
_SUBFILE = re.compile(r"(?:DL|ID)(?=D[A-Z]{2})")


class ScanError(ValueError):
    """A scan that cannot be used; the message says what to do (shown to the clerk as it is)."""


@dataclass(frozen=True)
class LicenceScan:
    licence_number: str
    jurisdiction: str
    last_name: str
    first_name: str = ""
    middle_name: str = ""
    date_of_birth: date | None = None
    expires: date | None = None
    version: int = 0
    iin: str = ""
    problems: tuple[str, ...] = field(default=())

    def __repr__(self) -> str:  # never the whole license number, wherever a scan is printed
        return f"<LicenceScan v{self.version:02d} {self.jurisdiction} …{self.licence_number[-4:]}>"

    __str__ = __repr__

    @property
    def licence_last4(self) -> str:
        return self.licence_number[-4:]

    @property
    def name(self) -> str:
        given = " ".join(p for p in (self.first_name, self.middle_name) if p)
        return ", ".join(p for p in (self.last_name, given) if p)

    @property
    def expired(self) -> bool:
        return self.expires is not None and self.expires < date.today()


def _split_known(chunk: str) -> list[str]:
    """Split a run of elements with no separators at the known element ids: an id starts a new element only
    after the current value has begun and only the first time it appears (values rarely hold an id; when one
    does, an element read twice keeps its first reading and the clerk sees the result before acting)."""
    parts: list[str] = []
    seen: set[str] = set()
    start = 0
    i = 3
    seen.add(chunk[:3])
    while i <= len(chunk) - 3:
        candidate = chunk[i : i + 3]
        if candidate in ELEMENT_IDS and candidate not in seen and i > start + 3:
            parts.append(chunk[start:i])
            seen.add(candidate)
            start = i
            i += 3
            continue
        i += 1
    parts.append(chunk[start:])
    return parts


def _elements(body: str) -> dict[str, str]:
    """The DL/ID subfile's elements, id -> value (the first reading of each), up to the next subfile."""
    chunks = [c for c in _SEPARATORS.split(body) if c.strip()]
    if len(chunks) <= 2:  # the separators were dropped: one run (and maybe a jurisdiction subfile)
        chunks = [p for c in chunks for p in _split_known(c.strip())]
    out: dict[str, str] = {}
    for chunk in chunks:
        chunk = chunk.strip()
        if chunk[:1] == "Z" or chunk[:3] not in ELEMENT_IDS:  # a jurisdiction subfile (ZW...) or trailing noise
            if chunk[:1] == "Z":
                break
            continue
        out.setdefault(chunk[:3], chunk[3:].strip())
    return out


def _date(value: str, *, year_first: bool) -> date | None:
    digits = value.strip()
    if not re.fullmatch(r"\d{8}", digits):
        return None
    orders = ((0, 4, 6), (4, 0, 2)) if year_first else ((4, 0, 2), (0, 4, 6))
    for y, m, d in orders:  # the expected layout first, then the other (cards that do not follow their version)
        try:
            return date(int(digits[y : y + 4]), int(digits[m : m + 2]), int(digits[d : d + 2]))
        except ValueError:
            continue
    return None


def _names(el: dict[str, str], version: int) -> tuple[str, str, str]:
    last = el.get("DCS") or el.get("DAB") or ""
    first = el.get("DAC") or ""
    middle = el.get("DAD") or ""
    if not first and el.get("DCT"):  # versions 02-03: given names together, by comma or space
        given = [p for p in re.split(r"[,\s]+", el["DCT"]) if p]
        first, middle = (given[0] if given else ""), " ".join(given[1:])
    if (not last or not first) and el.get("DAA"):  # version 01: "LAST,FIRST,MIDDLE" (or "FIRST MIDDLE LAST")
        full = el["DAA"]
        if "," in full or "$" in full:
            pieces = [p.strip() for p in re.split(r"[,$]", full)]
            last = last or pieces[0]
            first = first or (pieces[1] if len(pieces) > 1 else "")
            middle = middle or " ".join(p for p in pieces[2:] if p)
        else:
            words = full.split()
            if len(words) >= 2:
                last, first, middle = last or words[-1], first or words[0], middle or " ".join(words[1:-1])
    clean = [n.strip() for n in (last, first, middle)]
    clean = ["" if n.upper() in ("NONE", "UNAVL") else n.upper() for n in clean]
    return clean[0], clean[1], clean[2]


def parse(text: str) -> LicenceScan:
    """The license read from a scan, or ScanError saying what went wrong and what to do."""
    if not text or not text.strip():
        raise ScanError("Nothing was scanned. Click in the scan field and scan the barcode on the back of the license.")
    if "ansi " in text or ("ANSI " not in text and "aamva" in text):
        text = text.swapcase()  # typed with Caps Lock on
    header = _HEADER.search(text)
    if header is None or "@" not in text[: header.start() + 1]:
        raise ScanError(
            "That is not a driver license barcode. Scan the large rectangular barcode (PDF417) on the back of "
            "the license, not the thin one-line barcode."
        )
    iin, version = header.group(1), int(header.group(2))
    subfile = _SUBFILE.search(text, header.end())
    if subfile is None:
        raise ScanError(
            "The scan stopped before the license details. Scan again, holding the license flat and still under "
            "the scanner until it beeps."
        )
    el = _elements(text[subfile.end() :])
    number = re.sub(r"[\s-]", "", el.get("DAQ", "")).upper()
    jurisdiction = el.get("DAJ", "").strip().upper()[:2]
    last, first, middle = _names(el, version)
    canadian = jurisdiction in CANADIAN_JURISDICTIONS or el.get("DCG", "").strip().upper() == "CAN"
    year_first = version == 1 or canadian
    dob = _date(el.get("DBB", ""), year_first=year_first)
    expires = _date(el.get("DBA", ""), year_first=year_first)
    problems = []
    if el.get("DBB") and dob is None:
        problems.append("The date of birth on the barcode could not be read.")
    if not number and not (last and dob):
        raise ScanError(
            "The scan is incomplete: the license number is missing. Scan again, holding the license flat and "
            "still until the scanner beeps; if it keeps failing, search by name or license number instead."
        )
    if not re.fullmatch(r"[A-Z0-9*]{1,30}", number or "X"):
        raise ScanError("The license number on the barcode could not be read. Scan again, or search by hand instead.")
    if number and not re.fullmatch(r"[A-Z]{2}", jurisdiction):
        problems.append("The barcode does not say which state issued the license; matching by number only.")
        jurisdiction = ""
    return LicenceScan(
        licence_number=number,
        jurisdiction=jurisdiction,
        last_name=last[:100],
        first_name=first[:100],
        middle_name=middle[:100],
        date_of_birth=dob,
        expires=expires,
        version=version,
        iin=iin,
        problems=tuple(problems),
    )
