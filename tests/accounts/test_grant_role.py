from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sector.accounts.models import Membership, User
from sector.core.models import AuditEntry


def grant(*args, **env):
    out = StringIO()
    call_command("grant_role", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_grant_creates_the_user_with_the_password_from_the_environment(world, monkeypatch):
    monkeypatch.setenv("SECTOR_PASSWORD", "a-long-secret-1")
    out = grant("jdoe", "court_clerk", "--court", "d34")
    assert "created user jdoe" in out and "granted role court_clerk" in out and "Thurston County District Court" in out
    user = User.objects.get(username="jdoe")
    assert user.check_password("a-long-secret-1")
    assert Membership.objects.filter(user=user, court=world.court_a).exists()
    actions = set(AuditEntry.objects.filter(object_id=str(user.pk)).values_list("action", flat=True))
    assert {"accounts.user.created", "accounts.role.granted", "accounts.membership.added"} <= actions
    entry = AuditEntry.objects.filter(action="accounts.role.granted", object_id=str(user.pk)).get()
    assert entry.actor_name == "grant_role (shell)"
    assert entry.data == {
        "role": "court_clerk",
        "kind": "court",
        "organisation": "Thurston County District Court (D34)",
    }


@pytest.mark.django_db
def test_granting_again_changes_nothing(world, monkeypatch):
    monkeypatch.setenv("SECTOR_PASSWORD", "a-long-secret-1")
    grant("jdoe", "lasa", "--agency", world.agency_a.ori)
    count = AuditEntry.objects.count()
    out = grant("jdoe", "lasa", "--agency", world.agency_a.ori)
    assert out.startswith("nothing changed")
    assert AuditEntry.objects.count() == count


@pytest.mark.django_db
def test_existing_user_gets_a_second_agency(world):
    out = grant("lasa", "lasa", "--agency", world.agency_b.ori)
    assert "added membership of agency Spokane Police Department" in out
    # The role is held per organization: LASA of A becomes LASA of B by this grant, and only by a grant.
    assert "granted role lasa at Spokane Police Department (WA0320400)" in out
    assert "granted role" not in grant("lasa", "lasa", "--agency", world.agency_b.ori)  # once is enough


@pytest.mark.django_db
def test_an_agency_role_cannot_be_given_globally(world):
    from django.contrib.auth.models import Group

    from sector.accounts.signals import MisplacedRoleError

    with pytest.raises(MisplacedRoleError):
        world.users["outsider"].groups.add(Group.objects.get(name="lasa"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, reason",
    [
        (("x", "sheriff"), "unknown role 'sheriff'"),
        (("x", "lasa", "--agency", "WA9999999"), "no agency with ORI 'WA9999999'"),
        (("x", "court_clerk", "--court", "ZZZ"), "no court with code 'ZZZ'"),
        (("x", "court_clerk"), "give --court CODE"),
        (("x", "officer"), "give --agency ORI"),
    ],
)
def test_bad_grants_exit_non_zero_with_the_reason(world, monkeypatch, args, reason):
    monkeypatch.setenv("SECTOR_PASSWORD", "a-long-secret-1")
    with pytest.raises(CommandError, match=reason.replace("(", r"\(")):
        grant(*args)
    assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_new_user_without_password_and_without_a_terminal_is_refused(world, monkeypatch):
    monkeypatch.delenv("SECTOR_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="SECTOR_PASSWORD"):
        grant("nobody", "waspc_coordinator")


@pytest.mark.django_db
def test_role_and_membership_changes_in_the_admin_are_logged(world):
    from django.contrib.auth.models import Group

    user = world.users["outsider"]
    user.groups.add(Group.objects.get(name="wsp_support"))
    user.groups.remove(Group.objects.get(name="wsp_support"))
    m = Membership.objects.create(user=user, agency=world.agency_b)
    m.roles.add(Group.objects.get(name="officer"))
    m.roles.remove(Group.objects.get(name="officer"))
    m.delete()
    user.is_active = False
    user.save()
    entries = list(AuditEntry.objects.filter(object_id=str(user.pk)).order_by("id"))
    assert [e.action for e in entries[-7:]] == [
        "accounts.role.granted",
        "accounts.role.revoked",
        "accounts.membership.added",
        "accounts.role.granted",
        "accounts.role.revoked",
        "accounts.membership.removed",
        "accounts.user.deactivated",
    ]
    assert entries[-4].data["organisation"] == str(world.agency_b) and entries[-4].data["role"] == "officer"
