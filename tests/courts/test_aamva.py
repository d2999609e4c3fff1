"""The AAMVA reader on real-format barcode strings of several versions, as scanners deliver them."""

import contextlib
from datetime import date

import pytest

from courts import aamva
from tests.courts import aamva_samples as s


def test_version_10_washington_card_reads_number_state_name_and_dates():
    scan = aamva.parse(s.V10_WA)
    assert (scan.version, scan.iin) == (10, "636045")
    assert (scan.licence_number, scan.jurisdiction) == ("WDLRIVERMA123", "WA")
    assert (scan.last_name, scan.first_name, scan.middle_name) == ("RIVERA", "MARIA", "ELENA")
    assert scan.date_of_birth == date(1990, 3, 14)
    assert scan.expires == date(2030, 8, 15)
    assert scan.problems == ()


def test_version_08_oregon_card_with_middle_name_none():
    scan = aamva.parse(s.V08_OR)
    assert (scan.licence_number, scan.jurisdiction) == ("7654321", "OR")
    assert (scan.last_name, scan.first_name) == ("NGUYEN", "TAN")
    assert scan.middle_name == ""
    assert scan.date_of_birth == date(1985, 11, 30)


def test_version_03_given_names_in_dct():
    scan = aamva.parse(s.V03)
    assert (scan.last_name, scan.first_name, scan.middle_name) == ("OBRIEN", "PATRICK", "SEAN")
    assert scan.date_of_birth == date(1970, 7, 4)


def test_version_01_full_name_in_daa_and_year_first_dates():
    scan = aamva.parse(s.V01)
    assert scan.version == 1
    assert (scan.last_name, scan.first_name, scan.middle_name) == ("SMITH", "JOHN", "QUINCY")
    assert scan.date_of_birth == date(1965, 12, 25)
    assert scan.expires == date(2008, 1, 15)
    assert scan.expired


def test_canadian_card_dates_are_year_first():
    scan = aamva.parse(s.V09_ON)
    assert scan.jurisdiction == "ON"
    assert scan.date_of_birth == date(1992, 4, 5)
    assert scan.expires == date(2029, 4, 5)


ALL = [s.V10_WA, s.V08_OR, s.V03, s.V01, s.V09_ON]


@pytest.mark.parametrize("mangle", [s.typed_in_textarea, s.control_chars_dropped, s.caps_lock_on, lambda x: x])
@pytest.mark.parametrize("sample", ALL)
def test_the_ways_a_scanner_types_into_a_field_read_the_same(sample, mangle):
    clean = aamva.parse(sample)
    assert aamva.parse(mangle(sample)) == clean


def test_a_scan_with_trailing_enter_and_surrounding_spaces():
    assert aamva.parse("  " + s.typed_in_textarea(s.V10_WA) + "\r\n").licence_number == "WDLRIVERMA123"


@pytest.mark.parametrize(
    "text, says",
    [
        ("", "Nothing was scanned"),
        ("   \r\n", "Nothing was scanned"),
        ("0123456789012", "not a driver license barcode"),
        ("@\r\nANSI 6360451000", "stopped before the license details"),
        (s.V10_WA[:40], "stopped before the license details"),
        (s.V10_WA[:60], "incomplete"),
    ],
)
def test_bad_and_partial_scans_say_what_to_do(text, says):
    with pytest.raises(aamva.ScanError, match=says):
        aamva.parse(text)


def test_a_scan_cut_before_the_license_number_and_birth_date_is_incomplete():
    cut = s.V10_WA[: s.V10_WA.index("DBB")]
    with pytest.raises(aamva.ScanError, match="incomplete"):
        aamva.parse(cut)


def test_a_scan_cut_after_the_name_and_birth_date_still_reads_them():
    cut = s.V10_WA[: s.V10_WA.index("DBC")]
    scan = aamva.parse(cut)
    assert (scan.licence_number, scan.last_name, scan.date_of_birth) == ("", "RIVERA", date(1990, 3, 14))


def test_an_unreadable_birth_date_is_a_problem_not_a_failure():
    bad = s.V10_WA.replace("DBB03141990", "DBB13451990")
    scan = aamva.parse(bad)
    assert scan.date_of_birth is None
    assert scan.problems


def test_the_repr_never_shows_the_whole_license_number():
    scan = aamva.parse(s.V10_WA)
    assert "WDLRIVERMA123" not in repr(scan) and "WDLRIVERMA123" not in str(scan)
    assert repr(scan).endswith("…A123>")


def test_garbage_never_raises_anything_but_a_scan_error():
    import random

    rng = random.Random(7)
    alphabet = "@ANSIDLQACBJ0123456789\r\n\x1e ,$Z"
    for _ in range(500):
        text = "@\nANSI 636045100002DL" + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        with contextlib.suppress(aamva.ScanError):
            aamva.parse(text)
