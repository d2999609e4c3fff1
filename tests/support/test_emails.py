"""One test per notification; an internal note never reaches an email."""

import pytest
from django.conf import settings

from sector.support import services
from tests.factories import make_user
from tests.support.helpers import raise_request

pytestmark = pytest.mark.django_db
SECRET = "NOTE-ONLY-FOR-WSP: chief is difficult"


@pytest.fixture
def thread(world, django_capture_on_commit_callbacks):
    """A request with an internal note already on it; the mail outbox is emptied before each test acts."""
    with django_capture_on_commit_callbacks(execute=True):
        sr = raise_request(world, subject="Scanner <b>dead</b>")
        services.request_reply(support_request=sr, actor=world.users["wsp"], body=SECRET, internal=True)
    return sr


def _act(capture, func, **kwargs):
    with capture(execute=True):
        return func(**kwargs)


def _assert_no_note(mails):
    for mail in mails:
        assert SECRET not in mail.subject
        assert SECRET not in mail.body
        assert all(SECRET not in content for content, _ in getattr(mail, "alternatives", []))


def test_a_new_request_tells_the_team_and_acknowledges_the_requester(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sr = raise_request(world, subject="Printer jams")
    assert [m.to for m in mailoutbox] == [[settings.SUPPORT_TEAM_EMAIL], [world.users["lasa"].email]]
    team, ack = mailoutbox
    assert sr.reference in team.subject and "Printer jams" in team.subject
    assert "Olympia Police Department" in team.body and sr.get_absolute_url() in team.body
    assert "received your request" in ack.body


def test_an_internal_note_sends_no_email(thread, mailoutbox):
    # the fixture's two emails are the new-request ones; the note added none
    assert len(mailoutbox) == 2
    _assert_no_note(mailoutbox)


def test_assignment_tells_the_assignee(world, thread, mailoutbox, django_capture_on_commit_callbacks):
    colleague = make_user("wsp2", "wsp_support")
    mailoutbox.clear()
    _act(django_capture_on_commit_callbacks, services.request_triage, support_request=thread, actor=world.users["wsp"],
         assignee=colleague, priority=thread.priority, category=thread.category)  # fmt: skip
    assert [m.to for m in mailoutbox] == [[colleague.email]]
    assert "assigned to you" in mailoutbox[0].body
    _assert_no_note(mailoutbox)


def test_a_support_answer_emails_the_requester_without_the_note(
    world, thread, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    _act(django_capture_on_commit_callbacks, services.request_reply, support_request=thread, actor=world.users["wsp"],
         body="Please restart the scanner service.")  # fmt: skip
    assert [m.to for m in mailoutbox] == [[world.users["lasa"].email]]
    assert "Please restart the scanner service." in mailoutbox[0].body
    assert "Scanner <b>dead</b>" in mailoutbox[0].subject  # plain text: shown as typed, never rendered
    _assert_no_note(mailoutbox)


def test_a_requester_reply_emails_the_assignee_or_else_the_team(
    world, thread, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    _act(django_capture_on_commit_callbacks, services.request_reply, support_request=thread,
         actor=world.users["officer"], body="It happens on car 7 too.")  # fmt: skip
    assert [m.to for m in mailoutbox] == [[settings.SUPPORT_TEAM_EMAIL]]
    assert "It happens on car 7 too." in mailoutbox[0].body
    services.request_triage(support_request=thread, actor=world.users["wsp"], assignee=world.users["wsp"],
                            priority=thread.priority, category=thread.category)  # fmt: skip
    mailoutbox.clear()
    _act(django_capture_on_commit_callbacks, services.request_reply, support_request=thread,
         actor=world.users["lasa"], body="And car 9.")  # fmt: skip
    assert [m.to for m in mailoutbox] == [[world.users["wsp"].email]]
    _assert_no_note(mailoutbox)


@pytest.mark.parametrize("steps", [["waiting"], ["resolved"], ["resolved", "closed"]])
def test_status_changes_that_concern_the_requester_email_them(
    world, thread, mailoutbox, django_capture_on_commit_callbacks, steps
):
    for step in steps:
        mailoutbox.clear()
        _act(django_capture_on_commit_callbacks, services.request_move, support_request=thread,
             actor=world.users["wsp"], status=step)  # fmt: skip
    assert [m.to for m in mailoutbox] == [[world.users["lasa"].email]]
    thread.refresh_from_db()
    assert thread.get_status_display() in mailoutbox[0].subject
    _assert_no_note(mailoutbox)


def test_starting_work_sends_nothing(world, thread, mailoutbox, django_capture_on_commit_callbacks):
    mailoutbox.clear()
    _act(django_capture_on_commit_callbacks, services.request_move, support_request=thread, actor=world.users["wsp"],
         status="in_progress")  # fmt: skip
    assert mailoutbox == []
