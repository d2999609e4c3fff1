"""A new acknowledgment link for a prosecutor whose link expired (issue 16)."""

from datetime import timedelta

import pytest
from django.core import mail, signing
from django.utils import timezone

from sector.core.models import AuditEntry
from sector.onboarding.errors import OnboardingError
from sector.onboarding.models import ProsecutorNotice
from sector.onboarding.notices import services as svc
from tests.onboarding.helpers import fill_survey, start


@pytest.fixture
def notice(world, settings):
    from sector.onboarding.survey import services as survey_svc

    settings.CELERY_TASK_ALWAYS_EAGER = True
    survey = fill_survey(world, start(world))
    survey_svc.survey_submit(survey=survey, actor=world.users["lasa"])
    return ProsecutorNotice.objects.get()


def _expire(notice):
    ProsecutorNotice.objects.filter(pk=notice.pk).update(created_at=timezone.now() - timedelta(days=40))
    notice.refresh_from_db()
    return notice


def _old_token_signed_40_days_ago(notice):
    import time
    from unittest import mock

    with mock.patch.object(signing.time, "time", return_value=time.time() - 40 * 86400):
        return svc.ack_token(notice)


def test_a_live_link_is_not_replaced(world, notice):
    with pytest.raises(OnboardingError, match="still works until"):
        svc.prosecutor_link_renew(notice=notice, actor=world.users["lasa"])


def test_an_expired_link_is_replaced_mailed_and_audited_and_the_old_one_stays_dead(
    world, notice, django_capture_on_commit_callbacks
):
    notice = _expire(notice)
    old_token = _old_token_signed_40_days_ago(notice)
    old_key = notice.link_key
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        renewed = svc.prosecutor_link_renew(notice=notice, actor=world.users["lasa"])
    assert renewed.link_key != old_key and renewed.links_issued == 2
    assert not renewed.link_expired
    # The old link: expired, and even a fresh signature of the old key is refused as replaced.
    with pytest.raises(svc.AckLinkError) as exc:
        svc.ack_notice_for(old_token)
    assert exc.value.kind == "expired"
    forged = signing.dumps({"n": notice.pk, "k": old_key}, salt=svc.ACK_SALT, compress=True)
    with pytest.raises(svc.AckLinkError) as exc:
        svc.ack_notice_for(forged)
    assert exc.value.kind == "invalid"
    # The new link works, once.
    new_token = svc.ack_token(renewed)
    assert svc.prosecutor_acknowledge(token=new_token, ip="127.0.0.1").acknowledged_at is not None
    entry = AuditEntry.objects.get(action="onboarding.notice.prosecutor_link_renewed")
    assert entry.actor == world.users["lasa"] and entry.data["links_issued"] == 2
    assert [m.to for m in mail.outbox] == [[notice.email]]
    assert "new link" in mail.outbox[0].body and "/onboarding/acknowledge/" in mail.outbox[0].body


def test_only_the_agency_renews_and_never_after_acknowledgment(world, notice):
    notice = _expire(notice)
    for persona in ("lasa2", "wsp", "clerk"):
        with pytest.raises(OnboardingError):
            svc.prosecutor_link_renew(notice=notice, actor=world.users[persona])
    ProsecutorNotice.objects.filter(pk=notice.pk).update(acknowledged_at=timezone.now())
    with pytest.raises(OnboardingError, match="already acknowledged"):
        svc.prosecutor_link_renew(notice=notice, actor=world.users["lasa"])


def test_the_page_asks_to_confirm_then_sends(as_persona, world, notice):
    notice = _expire(notice)
    client = as_persona("lasa")
    page = client.get(f"/onboarding/agencies/{world.agency_a.ori}/").content.decode()
    assert "Link expired" in page and "Send a new acknowledgment link" in page
    url = f"/onboarding/prosecutor-notices/{notice.pk}/new-link/"
    ask = client.post(url)
    assert ask.status_code == 200 and "The old link stays dead" in ask.content.decode()
    assert ProsecutorNotice.objects.get().links_issued == 1
    done = client.post(url, {"confirmed": "1"})
    assert done.status_code == 302
    assert ProsecutorNotice.objects.get().links_issued == 2
