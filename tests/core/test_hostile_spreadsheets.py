"""Hostile spreadsheets (issue 13): zip bombs, row floods and XML entities are refused before they cost anything."""

import io
import time
import zipfile

import openpyxl
import pytest
import tablib

from sector.core import spreadsheets
from sector.core.spreadsheets import ImportFileError, read_rows, read_table

KB = 1024


def _workbook(sheet_xml: bytes, *, extra: dict[str, bytes] | None = None) -> bytes:
    """A real workbook (tablib's) with its first sheet replaced by `sheet_xml`, deflated."""
    book = tablib.Dataset(headers=["a"])
    book.append(["1"])
    source = zipfile.ZipFile(io.BytesIO(book.export("xlsx")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            data = sheet_xml if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            if extra and info.filename in extra:
                data = extra[info.filename]
            target.writestr(info.filename, data)
    return out.getvalue()


def _sheet(rows: int, *, dimension: str | None) -> bytes:
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    dim = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    body = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * rows  # identical rows: ~1000:1 deflated
    return head + dim + b"<sheetData>" + body + b"</sheetData></worksheet>"


@pytest.fixture
def no_parse(monkeypatch):
    """Fail the test if openpyxl is asked to open the workbook at all."""

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


@pytest.mark.parametrize(
    ("max_bytes", "message"),
    [(512 * KB, r"unpacks to 9.4 MB; the limit is 5 MB"), (2048 * KB, "200,000 rows; the limit is 500")],
)
def test_a_zip_bomb_of_200000_rows_is_refused_before_it_is_parsed(no_parse, max_bytes, message):
    bomb = _workbook(_sheet(200_000, dimension="A1:A200000"))
    assert len(bomb) < 60 * KB  # small on the wire, 10 MB unpacked
    started = time.process_time()
    with pytest.raises(ImportFileError, match=message):
        read_table(bomb, max_bytes=max_bytes, max_rows=500)
    assert time.process_time() - started < 0.5


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_parsed(no_parse):
    filler = b"<sst xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'>" + b" " * (60 * 1024 * KB)
    bomb = _workbook(_sheet(2, dimension="A1:A2"), extra={"xl/styles.xml": filler})
    assert len(bomb) < 200 * KB
    with pytest.raises(ImportFileError, match=r"unpacks to 60 MB; the limit is 5 MB"):
        read_rows(bomb, max_bytes=512 * KB)


def test_a_workbook_whose_dimension_understates_it_is_read_to_the_row_limit_and_refused():
    bomb = _workbook(_sheet(200_000, dimension="A1:A2"))
    started = time.process_time()
    with pytest.raises(ImportFileError, match="more than 500 rows; the limit is 500"):
        read_table(bomb, max_bytes=2048 * KB, max_rows=500)
    assert time.process_time() - started < 2.0  # the whole sheet takes ~14 s


def test_a_workbook_without_dimension_stops_at_the_row_limit_too():
    bomb = _workbook(_sheet(20_000, dimension=None))
    with pytest.raises(ImportFileError, match="more than 100 rows"):
        read_rows(bomb, max_bytes=2048 * KB, max_rows=100)


def test_a_workbook_16384_columns_wide_is_refused(no_parse):
    wide = _workbook(_sheet(2, dimension="A1:XFD2"))
    with pytest.raises(ImportFileError, match="16,384 columns; the limit is 200"):
        read_rows(wide, max_bytes=KB * KB)


def test_a_csv_of_200000_lines_is_refused_at_the_limit():
    flood = b"a,b\n" + b"1,2\n" * 200_000
    started = time.process_time()
    with pytest.raises(ImportFileError, match="more than 500 rows; the limit is 500"):
        read_table(flood, max_bytes=2048 * KB, max_rows=500)
    assert time.process_time() - started < 0.5
    with pytest.raises(ImportFileError, match="more than 50,000 rows"):  # no limit named: the default one
        read_rows(flood, max_bytes=2048 * KB)


def test_within_the_limits_a_workbook_still_reads():
    ok = _workbook(_sheet(500, dimension="A1:A500"))
    assert len(read_rows(ok, max_bytes=KB * KB, max_rows=500)) == 500


ENTITY_SHEET = (
    b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY e "EXPANDED"><!ENTITY e2 "&e;&e;&e;&e;&e;&e;&e;&e;">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&e2;</t></is></c></row></sheetData></worksheet>'
)


def test_openpyxl_parses_with_defusedxml():
    from defusedxml import ElementTree as defused
    from openpyxl.xml import functions

    assert openpyxl.DEFUSEDXML is True
    assert functions.iterparse is defused.iterparse and functions.fromstring is defused.fromstring


def test_xml_entities_in_a_workbook_are_refused_not_expanded():
    with pytest.raises(ImportFileError, match="not a readable Excel workbook"):
        read_rows(_workbook(ENTITY_SHEET), max_bytes=KB * KB)


def test_the_system_check_fails_when_openpyxl_is_not_defused(monkeypatch):
    from sector.core.checks import xml_parsers_defused

    assert xml_parsers_defused(None) == []
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    [error] = xml_parsers_defused(None)
    assert error.id == "core.E001" and "defusedxml" in error.msg


def test_the_admin_import_formats_refuse_bombs_too(no_parse):
    bomb = _workbook(_sheet(200_000, dimension="A1:A200000"))
    with pytest.raises(ImportFileError, match="rows; the limit is"):
        spreadsheets.ImportXLSX().create_dataset(bomb)
    with pytest.raises(ImportFileError, match="more than 50,000 rows"):
        spreadsheets.ImportCSV().create_dataset("a\n" + "1\n" * 60_000)


def test_the_admin_import_formats_still_read_a_good_file():
    book = tablib.Dataset(headers=["code", "name"])
    book.append(["D34", "Thurston"])
    dataset = spreadsheets.ImportXLSX().create_dataset(book.export("xlsx"))
    assert dataset.headers == ["code", "name"] and list(dataset[0]) == ["D34", "Thurston"]
    assert list(spreadsheets.ImportCSV().create_dataset("code,name\nD34,Thurston\n")[0]) == ["D34", "Thurston"]
