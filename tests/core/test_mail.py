"""The one switch that mutes mail (sector.core.mail.muted), which seed_demo runs every demo seeder under."""

import pytest
from django.core import mail

from sector.core.mail import is_muted, muted, send_templated_mail
from sector.core.registry import demo_seeders
from tests.factories import run_seed_demo

MESSAGE = {
    "to": ["someone@example.wa.gov"],
    "subject_template": "collisions/email/overdue_subject.txt",
    "body_template": "collisions/email/overdue_body.txt",
    "context": {"agency": {"name": "Olympia Police Department"}, "reports": [], "queue": "/collisions/review/"},
}


@pytest.mark.django_db
def test_muted_sends_nothing_inside_the_block_and_mail_flows_again_after(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with muted():
            assert is_muted()
            send_templated_mail(**MESSAGE)
        assert not is_muted()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_mail(**MESSAGE)
    assert len(mail.outbox) == 1


def test_muted_blocks_nest():
    with muted():
        with muted():
            pass
        assert is_muted()
    assert not is_muted()


@pytest.mark.django_db
def test_seed_demo_mutes_every_seeder_without_asking_it(monkeypatch, mailoutbox, django_capture_on_commit_callbacks):
    seen = []

    def loud_seeder(*, stdout=None):
        seen.append(is_muted())
        send_templated_mail(**MESSAGE)

    demo_seeders.register(loud_seeder, key="loud", order=999)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run_seed_demo()
    finally:
        demo_seeders.unregister("loud")
    assert seen == [True]
    assert mailoutbox == []  # nor did any app's own demo history email anyone
