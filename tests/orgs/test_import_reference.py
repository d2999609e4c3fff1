import pytest
from django.core.management import CommandError, call_command

from sector.core.models import AuditEntry
from sector.orgs.models import Agency, Court

GOOD_AGENCIES = """ori,name,county,kind
WA0340100,Olympia Police Department,Thurston,police
WA0340000,Thurston County Sheriff's Office,Thurston,sheriff
WA031019A,Tulalip Tribal Police,Snohomish,tribal
"""


def run_import(tmp_path, kind, text, name="file.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_reference", kind, str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(tmp_path, kind, text):
    from io import StringIO

    path = tmp_path / "bad.csv"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_reference", kind, str(path), stdout=StringIO(), stderr=err)
    return str(excinfo.value), err.getvalue()


@pytest.mark.django_db
def test_good_agency_file_imports_every_row_with_active_defaulting_to_yes(tmp_path):
    out, _ = run_import(tmp_path, "agencies", GOOD_AGENCIES)
    assert "3 new, 0 updated, 0 unchanged" in out
    tulalip = Agency.objects.get(ori="WA031019A")
    assert tulalip.kind == "tribal" and tulalip.active is True and tulalip.county == "Snohomish"
    assert AuditEntry.objects.filter(action="orgs.agencies.imported").count() == 1


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing(tmp_path):
    run_import(tmp_path, "agencies", GOOD_AGENCIES)
    before = list(Agency.objects.order_by("ori").values())
    out, _ = run_import(tmp_path, "agencies", GOOD_AGENCIES)
    assert "0 new, 0 updated, 3 unchanged" in out
    assert list(Agency.objects.order_by("ori").values()) == before
    assert AuditEntry.objects.filter(action="orgs.agencies.imported").count() == 1


@pytest.mark.django_db
def test_a_changed_row_updates_that_agency_only(tmp_path):
    run_import(tmp_path, "agencies", GOOD_AGENCIES)
    changed = GOOD_AGENCIES.replace("Tulalip Tribal Police", "Tulalip Tribal Police Department")
    out, _ = run_import(tmp_path, "agencies", changed.replace("ori,name,county,kind", "ori,name,county,kind"))
    assert "0 new, 1 updated, 2 unchanged" in out


@pytest.mark.django_db
def test_optional_active_column_accepts_yes_and_no(tmp_path):
    text = "ori,name,county,kind,active\nWA0340300,Tumwater Police Department,Thurston,police,no\n"
    run_import(tmp_path, "agencies", text)
    assert Agency.objects.get(ori="WA0340300").active is False


@pytest.mark.django_db
def test_bad_rows_are_named_by_line_and_column_and_nothing_is_imported(tmp_path):
    text = (
        "ori,name,county,kind\n"
        "WA0340100,Olympia Police Department,Thurston,police\n"  # line 2: good
        "WA0340000,,Thurston,sheriff\n"  # line 3: missing name
        "WA0340300,Tumwater Police Department,Thurston,constable\n"  # line 4: unknown kind
        "WA34,Lacey Police Department,Thurston,police\n"  # line 5: bad ORI
    )
    message, err = run_failing(tmp_path, "agencies", text)
    assert "nothing imported" in message
    assert "line 3: column name" in err
    assert "line 4: column kind" in err and "constable" in err
    assert "line 5: column ori" in err and "9 characters" in err
    assert "line 2" not in err
    assert Agency.objects.count() == 0


@pytest.mark.django_db
def test_duplicate_key_in_one_file_is_refused(tmp_path):
    text = GOOD_AGENCIES + "WA0340100,Olympia PD again,Thurston,police\n"
    _, err = run_failing(tmp_path, "agencies", text)
    assert "line 5: column ori: WA0340100 also appears on line 2" in err
    assert Agency.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty"),
        (b"ori,name,county\nWA0340100,Olympia,Thurston\n", "missing column(s) kind"),
        (b"ori,name,county,kind,colour\nWA0340100,Olympia,Thurston,police,blue\n", "unknown column(s) colour"),
        (b"ori,name,county,kind\nWA0340100,Olympia \xff\xfe,Thurston,police\n", "not UTF-8"),
        (b"ori,name,county,kind\nWA0340100,Olympia,Thurston\n", "line 2: 3 values for 4 columns"),
    ],
)
def test_unreadable_files_get_a_clear_reason(tmp_path, content, reason):
    message, _ = run_failing(tmp_path, "agencies", content)
    assert reason in message
    assert Agency.objects.count() == 0


@pytest.mark.django_db
def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_reference", "agencies", str(tmp_path / "nope.csv"))


@pytest.mark.django_db
def test_courts_import_with_default_and_explicit_accepts_etickets(tmp_path):
    text = (
        "code,name,county,kind,accepts_etickets\n"
        "D34,Thurston County District Court,Thurston,district,\n"
        "M34LAC,Lacey Municipal Court,Thurston,municipal,no\n"
    )
    out, _ = run_import(tmp_path, "courts", text)
    assert "2 new" in out
    assert Court.objects.get(code="D34").accepts_etickets is True
    assert Court.objects.get(code="M34LAC").accepts_etickets is False
    out, _ = run_import(tmp_path, "courts", text)
    assert "0 new, 0 updated, 2 unchanged" in out


@pytest.mark.django_db
def test_bad_court_rows(tmp_path):
    text = (
        "code,name,county,kind\nd 34!,Thurston County District Court,Thurston,district\nM1,X Court,Atlantis,municipal\n"
    )
    _, err = run_failing(tmp_path, "courts", text)
    assert "line 2: column code" in err
    assert "line 3: column county" in err
    assert Court.objects.count() == 0


@pytest.mark.django_db
def test_admin_export_escapes_formulas(world):
    from django.test import Client

    Agency.objects.create(ori="WA0340300", name='=HYPERLINK("http://evil")', county="Thurston", kind="police")
    Agency.objects.create(ori="WA0340400", name="@SUM(A1)", county="Thurston", kind="police")
    client = Client()
    client.force_login(world.users["admin"])
    response = client.post(
        "/admin/orgs/agency/export/",
        {"format": "0", "resource": "0", **{f"agencyresource_{f}": "on" for f in ("ori", "name", "county", "kind")}},
    )
    assert response.status_code == 200, response.content[:500]
    body = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body and "'@SUM(A1)" in body
    assert "\n=HYPERLINK" not in body


def test_escape_cell_covers_every_formula_start():
    from sector.core.exports import escape_cell

    for danger in ("=1+1", "+1", "-1+2", "@A1", "\t=1", "\r=1"):
        assert escape_cell(danger).startswith("'")
    assert escape_cell("Olympia") == "Olympia" and escape_cell(42) == 42


@pytest.mark.django_db
def test_admin_import_preview_and_confirm(world, tmp_path):
    """The admin import (django-import-export) shows a preview, then imports; WASPC may import agencies."""
    from django.test import Client

    client = Client()
    client.force_login(world.users["admin"])
    upload = tmp_path / "agencies.csv"
    upload.write_text("ori,name,county,kind\nWA0340300,Tumwater Police Department,Thurston,police\n")
    with upload.open("rb") as fh:
        response = client.post("/admin/orgs/agency/import/", {"import_file": fh, "format": "0"})
    assert response.status_code == 200
    assert b"Tumwater Police Department" in response.content
    assert not Agency.objects.filter(ori="WA0340300").exists()  # preview only
