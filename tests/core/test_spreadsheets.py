"""The one spreadsheet reader for imports (sector.core.spreadsheets)."""

import pytest
import tablib

from sector.core.spreadsheets import ImportFileError, check_size, line_of, read_rows, read_table

KB = 1024


def test_csv_and_xlsx_read_the_same_with_line_numbers_and_normalized_columns():
    book = tablib.Dataset(headers=["Personnel number", " Last Name", "Note"])
    book.append([123, "Doe", None])
    book.append(["", "", ""])  # a blank row is left out but keeps its line
    book.append(["A-7", "Roe", "x"])
    csv_bytes = "\ufeffPersonnel number, Last Name,Note\n123,Doe,\n,,\nA-7,Roe,x\n".encode()
    for data in (book.export("xlsx"), csv_bytes):
        dataset = read_table(data, max_bytes=64 * KB)
        assert dataset.headers == ["personnel_number", "last_name", "note"]
        assert [list(r) for r in dataset] == [["123", "Doe", ""], ["A-7", "Roe", "x"]]
        assert [line_of(dataset, i) for i in range(dataset.height)] == [2, 4]


def test_short_rows_are_padded_unless_refused_and_long_rows_are_refused():
    assert list(read_table(b"a,b,c\n1\n", max_bytes=KB)[0]) == ["1", "", ""]
    assert list(read_table(b"a,b\n1,2,,\n", max_bytes=KB)[0]) == ["1", "2"]  # trailing empty cells are fine
    with pytest.raises(ImportFileError, match="line 2: 1 values for 3 columns"):
        read_table(b"a,b,c\n1\n", max_bytes=KB, pad_short_rows=False)
    with pytest.raises(ImportFileError, match="line 3: 3 values for 2 columns"):
        read_table(b"a,b\n1,2\n1,2,3\n", max_bytes=KB)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "f.csv", "empty"),
        (b"x" * (2 * KB), "f.csv", "larger than 1 KB"),
        (b"\n ,\n", "f.csv", "only blank lines"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "f.csv", "neither CSV text nor an Excel workbook"),
        ("caf\u00e9\n".encode("latin-1"), "f.csv", "not UTF-8 text"),
        (b"PK\x03\x04garbage", "f.csv", "not a readable Excel workbook"),
        (b"first,last\n", "blocks.xlsx", "not a readable Excel workbook"),
        (b"a,A\n1,2\n", "f.csv", "names the column\\(s\\) a twice"),
        (b"a\n1\n2\n3\n", "f.csv", "more than 2 rows; the limit is 2"),
    ],
)
def test_unreadable_files_say_why(data, name, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(data, max_bytes=KB, name=name, max_rows=2)


def test_read_rows_has_no_header_and_check_size_refuses_before_reading():
    assert read_rows(b"5A1,5A9\n\n6B1,6B2\n", max_bytes=KB) == [(1, ["5A1", "5A9"]), (3, ["6B1", "6B2"])]
    with pytest.raises(ImportFileError, match="larger than 2 MB"):
        check_size(3 * 1024 * KB, 2 * 1024 * KB)
