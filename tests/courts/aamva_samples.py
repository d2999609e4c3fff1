"""AAMVA DL/ID strings in the real layout (header, subfile designators with true offsets and lengths, DL
subfile, a jurisdiction subfile), built from the standard's element lists for several versions, and the ways
a keyboard-wedge scanner mangles them in a browser field."""

from __future__ import annotations

LF, RS, CR = "\n", "\x1e", "\r"
COMPLIANCE = "@" + LF + RS + CR


def build(version: int, iin: str, elements: list[tuple[str, str]], *, jurisdiction_version: int = 0,
          zsub: list[tuple[str, str]] | None = None, marker: str = "ANSI ") -> str:  # fmt: skip
    """A barcode string: the header, one designator per subfile (offsets from the start of the string), the DL
    subfile and an optional jurisdiction subfile ("Z" + a letter)."""
    dl = "DL" + LF.join(f"{k}{v}" for k, v in elements) + LF + CR
    subfiles = [("DL", dl)]
    if zsub:
        subfiles.append(("ZW", "ZW" + LF.join(f"{k}{v}" for k, v in zsub) + CR))
    entries = len(subfiles)
    head = COMPLIANCE + marker + iin + f"{version:02d}"
    if version >= 2:
        head += f"{jurisdiction_version:02d}"
    head += f"{entries:02d}"
    offset = len(head) + 10 * entries
    designators = ""
    for kind, body in subfiles:
        designators += f"{kind}{offset:04d}{len(body):04d}"
        offset += len(body)
    return head + designators + "".join(body for _k, body in subfiles)


# Washington (IIN 636045), version 10 (CDS 2020): DCS / DAC / DAD, US dates MMDDCCYY.
V10_WA = build(10, "636045", [
    ("DCA", "C"), ("DCB", "NONE"), ("DCD", "NONE"), ("DBA", "08152030"), ("DCS", "RIVERA"), ("DAC", "MARIA"),
    ("DAD", "ELENA"), ("DBD", "08152022"), ("DBB", "03141990"), ("DBC", "2"), ("DAY", "BRO"), ("DAU", "064 IN"),
    ("DAG", "1500 JEFFERSON ST SE"), ("DAI", "OLYMPIA"), ("DAJ", "WA"), ("DAK", "985010000  "),
    ("DAQ", "WDLRIVERMA123"), ("DCF", "WDLRIVERMA12320220815"), ("DCG", "USA"), ("DDE", "N"), ("DDF", "N"),
    ("DDG", "N"), ("DAZ", "BLK"), ("DCK", "22227WDL0000001"), ("DDA", "F"), ("DDB", "12102019"),
], jurisdiction_version=0, zsub=[("ZWA", "WAHQ"), ("ZWB", "Y")])  # fmt: skip

# Version 08 (CDS 2013), Oregon (IIN 636029).
V08_OR = build(8, "636029", [
    ("DCA", "C"), ("DCB", "NONE"), ("DCD", "NONE"), ("DBA", "01012028"), ("DCS", "NGUYEN"), ("DAC", "TAN"),
    ("DAD", "NONE"), ("DBD", "01012020"), ("DBB", "11301985"), ("DBC", "1"), ("DAY", "BRO"), ("DAU", "070 IN"),
    ("DAG", "100 MAIN ST"), ("DAI", "SALEM"), ("DAJ", "OR"), ("DAK", "973010000  "), ("DAQ", "7654321"),
    ("DCF", "OR7654321X"), ("DCG", "USA"), ("DDE", "N"), ("DDF", "N"), ("DDG", "N"),
], jurisdiction_version=1)  # fmt: skip

# Version 03 (CDS 2005): given names in DCT.
V03 = build(3, "636045", [
    ("DCA", "C"), ("DCB", "NONE"), ("DCD", "NONE"), ("DBA", "06302012"), ("DCS", "OBRIEN"), ("DCT", "PATRICK,SEAN"),
    ("DBD", "06302007"), ("DBB", "07041970"), ("DBC", "1"), ("DAY", "BLU"), ("DAU", "072 IN"),
    ("DAG", "12 HARBOR WAY"), ("DAI", "TACOMA"), ("DAJ", "WA"), ("DAK", "98402"), ("DAQ", "OBRIEPS123KQ"),
    ("DCF", "OBRIEPS123KQ2007"), ("DCG", "USA"),
], jurisdiction_version=0)  # fmt: skip

# Version 01 (CDS 2000): full name in DAA, dates CCYYMMDD, no jurisdiction version in the header.
V01 = build(1, "636045", [
    ("DAQ", "SMITHJ123AB"), ("DAA", "SMITH,JOHN,QUINCY"), ("DAG", "400 CAPITOL WAY"), ("DAI", "OLYMPIA"),
    ("DAJ", "WA"), ("DAK", "98501"), ("DAR", "C"), ("DAS", "NONE"), ("DAT", "NONE"), ("DBA", "20080115"),
    ("DBB", "19651225"), ("DBC", "1"), ("DBD", "20030115"), ("DAU", "511"), ("DAY", "BRO"),
], marker="ANSI ")  # fmt: skip

# Version 09, Ontario (IIN 636012): a Canadian card writes dates CCYYMMDD.
V09_ON = build(9, "636012", [
    ("DCA", "G"), ("DCB", "NONE"), ("DCD", "NONE"), ("DBA", "20290405"), ("DCS", "TREMBLAY"), ("DAC", "LUC"),
    ("DAD", "NONE"), ("DBD", "20240405"), ("DBB", "19920405"), ("DBC", "1"), ("DAY", "GRN"), ("DAU", "180 cm"),
    ("DAG", "1 KING ST W"), ("DAI", "TORONTO"), ("DAJ", "ON"), ("DAK", "M5H1A1"), ("DAQ", "T71234567920405"),
    ("DCF", "AB1234567"), ("DCG", "CAN"), ("DDE", "N"), ("DDF", "N"), ("DDG", "N"),
], jurisdiction_version=1)  # fmt: skip


def typed_in_textarea(s: str) -> str:
    """What a browser text area posts after a wedge scanner typed `s`: LF and CR were Enter (a line break,
    posted as CRLF), RS could not be typed and was dropped."""
    return s.replace(RS, "").replace(CR, LF).replace(LF, "\r\n")


def control_chars_dropped(s: str) -> str:
    """A scanner set up to drop every control character (or a single-line input field)."""
    return s.replace(LF, "").replace(RS, "").replace(CR, "")


def caps_lock_on(s: str) -> str:
    return s.swapcase()
