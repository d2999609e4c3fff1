import io
from datetime import date

import pytest
from django.core import mail, signing
from django.urls import reverse
from pypdf import PdfReader

from sector.core.models import AuditEntry
from sector.onboarding.choices import Readiness, Stage, StepStatus
from sector.onboarding.errors import OnboardingError
from sector.onboarding.models import CourtNotice, ProsecutorNotice
from sector.onboarding.notices import services as notices
from sector.onboarding.survey import services as svc
from tests.onboarding.helpers import complete, fill_survey, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(world, django_capture_on_commit_callbacks):
    onboarding = complete(world, start(world), 1)
    survey = fill_survey(world, onboarding)
    with django_capture_on_commit_callbacks(execute=True):
        svc.survey_submit(survey=survey, actor=world.users["lasa"])
    survey.refresh_from_db()
    return survey


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def test_submitting_notifies_each_court_and_the_prosecutor_by_email_with_a_pdf_letter(world, submitted):
    court_notices = list(submitted.court_notices.select_related("court").order_by("court__name"))
    assert [n.court.code for n in court_notices] == ["M32SPO", "D34"]
    assert all(n.emailed_at is not None for n in court_notices)
    prosecutor = submitted.prosecutor_notice
    assert prosecutor.email == "prosecutor@example.test" and prosecutor.emailed_at is not None
    assert len(mail.outbox) == 3
    by_to = {tuple(m.to): m for m in mail.outbox}
    assert by_to[("clerk@example.test",)].subject.startswith("SECTOR e-tickets: Olympia Police Department")
    letter_name, letter, mimetype = by_to[("clerk@example.test",)].attachments[0]
    assert mimetype == "application/pdf" and letter_name.endswith("D34.pdf")
    text = _pdf_text(letter)
    assert "Olympia Police Department" in text and "Thurston County District Court" in text
    prosecutor_mail = by_to[("prosecutor@example.test",)]
    assert "/onboarding/acknowledge/" in prosecutor_mail.body
    assert "Pat Prosecutor" in _pdf_text(prosecutor_mail.attachments[0][1])


def test_sending_is_idempotent(world, submitted):
    from sector.onboarding.tasks import send_court_notice_task, send_prosecutor_notice_task

    before = len(mail.outbox)
    for n in submitted.court_notices.all():
        send_court_notice_task.apply(args=[n.pk])
    send_prosecutor_notice_task.apply(args=[submitted.prosecutor_notice.pk])
    assert len(mail.outbox) == before


def test_a_court_without_clerks_is_notified_through_aoc(world):
    from tests.factories import CourtFactory

    lonely = CourtFactory(code="M99X", name="Lonely Municipal Court")
    assert notices.court_recipients(lonely) == ["aoc@example.test"]
    assert notices.court_recipients(world.court_a) == ["clerk@example.test"]


# --- the prosecutor's signed link ----------------------------------------------------------------------


def _link(notice):
    return reverse("onboarding:acknowledge", kwargs={"token": notices.ack_token(notice)})


def test_a_valid_link_acknowledges_once_without_an_account(world, submitted, client):
    notice = submitted.prosecutor_notice
    url = _link(notice)
    page = client.get(url)
    assert page.status_code == 200 and "Acknowledge the notice" in page.content.decode()
    done = client.post(url, {"name": "Pat Prosecutor"}, REMOTE_ADDR="203.0.113.9")
    assert done.status_code == 200 and "Thank you" in done.content.decode()
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None
    assert notice.acknowledged_ip == "203.0.113.9" and notice.acknowledged_name == "Pat Prosecutor"
    assert AuditEntry.objects.filter(action="onboarding.notice.prosecutor_acknowledged").count() == 1


def test_a_reused_link_is_refused_and_logged(world, submitted, client):
    notice = submitted.prosecutor_notice
    url = _link(notice)
    client.post(url)
    first = ProsecutorNotice.objects.get(pk=notice.pk).acknowledged_at
    again = client.post(url)
    assert again.status_code == 409 and "already acknowledged" in again.content.decode()
    assert ProsecutorNotice.objects.get(pk=notice.pk).acknowledged_at == first
    assert AuditEntry.objects.filter(action="onboarding.notice.acknowledge_refused", data__reason="used").exists()
    with pytest.raises(notices.AckLinkError):
        notices.prosecutor_acknowledge(token=notices.ack_token(notice), ip=None)


def test_a_tampered_link_is_refused(world, submitted, client):
    notice = submitted.prosecutor_notice
    token = notices.ack_token(notice)
    tampered = token[:-3] + ("aaa" if token[-3:] != "aaa" else "bbb")
    response = client.post(reverse("onboarding:acknowledge", kwargs={"token": tampered}))
    assert response.status_code == 400 and "not valid" in response.content.decode()
    forged = signing.dumps({"n": notice.pk, "k": "guessed"}, salt=notices.ACK_SALT, compress=True)
    assert client.post(reverse("onboarding:acknowledge", kwargs={"token": forged})).status_code == 400
    other_salt = signing.dumps({"n": notice.pk, "k": notice.link_key}, salt="something-else", compress=True)
    assert client.post(reverse("onboarding:acknowledge", kwargs={"token": other_salt})).status_code == 400
    notice.refresh_from_db()
    assert notice.acknowledged_at is None
    assert (
        AuditEntry.objects.filter(action="onboarding.notice.acknowledge_refused", data__reason="invalid").count() == 3
    )


def test_an_expired_link_is_refused(world, submitted, client, monkeypatch):
    import time

    notice = submitted.prosecutor_notice
    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() - 31 * 86400)
    old_token = notices.ack_token(notice)
    monkeypatch.setattr(signing.time, "time", real)
    response = client.post(reverse("onboarding:acknowledge", kwargs={"token": old_token}))
    assert response.status_code == 410 and "expired" in response.content.decode()
    notice.refresh_from_db()
    assert notice.acknowledged_at is None


# --- court readiness -----------------------------------------------------------------------------------


def test_step_2_completes_when_every_court_will_accept(world, submitted):
    onboarding = submitted.onboarding
    d34 = submitted.court_notices.get(court=world.court_a)
    spo = submitted.court_notices.get(court=world.court_b)
    notices.court_readiness_decide(notice=d34, actor=world.users["clerk"], decision="will_accept",
                                   accept_from=date(2027, 1, 4), decider_title="Court Clerk II")  # fmt: skip
    assert onboarding.steps.get(step__number=2).status == StepStatus.OPEN
    notices.court_readiness_decide(notice=spo, actor=world.users["aoc"], decision="not_yet", reason="New case system",
                                   decider_name="Ann Lee", decider_title="Presiding Judge")  # fmt: skip
    assert onboarding.steps.get(step__number=2).status == StepStatus.OPEN
    assert "Spokane Municipal Court is not ready yet: New case system" in notices.survey_step_blockers(submitted)
    notices.court_readiness_decide(notice=spo, actor=world.users["clerk2"], decision="will_accept",
                                   accept_from=date(2027, 2, 1), decider_title="Court Clerk")  # fmt: skip
    step = onboarding.steps.get(step__number=2)
    assert step.status == StepStatus.DONE and step.automatic and "D34" in step.evidence_text
    onboarding.refresh_from_db()
    assert onboarding.stage == Stage.AGREEMENT


@pytest.mark.parametrize("persona", ["clerk2", "waspc", "wsp", "lasa"])
def test_only_aoc_or_the_courts_clerk_decides(world, submitted, persona):
    d34 = submitted.court_notices.get(court=world.court_a)
    with pytest.raises(OnboardingError, match="Only AOC or a clerk of this court"):
        notices.court_readiness_decide(notice=d34, actor=world.users[persona], decision="will_accept",
                                       accept_from=date(2027, 1, 4))  # fmt: skip
    d34.refresh_from_db()
    assert d34.decision == Readiness.PENDING
    assert AuditEntry.objects.filter(action="onboarding.notice.decide_refused").count() == 1


def test_a_decision_needs_its_date_or_reason(world, submitted):
    d34 = submitted.court_notices.get(court=world.court_a)
    with pytest.raises(OnboardingError, match="date"):
        notices.court_readiness_decide(notice=d34, actor=world.users["clerk"], decision="will_accept")
    with pytest.raises(OnboardingError, match="why"):
        notices.court_readiness_decide(notice=d34, actor=world.users["clerk"], decision="not_yet", reason=" ")


def test_the_clerk_sees_only_their_courts_notices_and_decides_on_the_page(world, submitted):
    client = world.client_for("clerk")
    assert client.get(reverse("onboarding:index"))["Location"] == reverse("onboarding:court_notices")
    listing = client.get(reverse("onboarding:court_notices")).content.decode()
    assert "Thurston County District Court" in listing and "Spokane Municipal Court" not in listing
    d34 = submitted.court_notices.get(court=world.court_a)
    spo = submitted.court_notices.get(court=world.court_b)
    assert client.get(reverse("onboarding:notice", args=[spo.pk])).status_code == 404
    bad = client.post(reverse("onboarding:notice_decide", args=[d34.pk]), {"decision": "will_accept"})
    assert bad.status_code == 400 and "Give the date" in bad.content.decode()
    ok = client.post(reverse("onboarding:notice_decide", args=[d34.pk]),
                     {"decision": "will_accept", "accept_from": "2027-01-04", "decider_name": "Ray Holloway",
                      "decider_title": "Court Administrator"})  # fmt: skip
    assert ok.status_code == 302
    d34.refresh_from_db()
    assert d34.decision == Readiness.WILL_ACCEPT and d34.decided_by == world.users["clerk"]
    letter = client.get(reverse("onboarding:notice_letter", args=[d34.pk]))
    assert "Olympia Police Department" in _pdf_text(letter.content)


def test_the_agency_page_shows_each_courts_readiness(world, submitted):
    page = world.client_for("lasa").get(reverse("onboarding:agency", args=[world.agency_a.ori])).content.decode()
    assert "Awaiting the court's decision" in page and "Prosecutor: Pat Prosecutor" in page


def test_the_readiness_list_costs_the_same_queries_at_two_sizes(world, django_assert_max_num_queries):
    from tests.factories import AgencyFactory

    client = world.client_for("aoc")
    url = reverse("onboarding:court_notices")

    def grow(n):
        for _ in range(n):
            onboarding = start(world, AgencyFactory())
            CourtNotice.objects.create(survey=svc.survey_for(onboarding), court=world.court_a)

    grow(2)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    grow(30)
    with django_assert_max_num_queries(12) as large:
        response = client.get(url)
    assert len(response.context["page"]) == 32
    assert len(small.captured_queries) == len(large.captured_queries)


# --- the letter and the decision read as what they replace (issue 11, item 10) ---------------------------


def test_the_court_letter_has_a_letterhead_a_signatory_and_a_reply_by_date(world, submitted):
    d34 = submitted.court_notices.get(court=world.court_a)
    text = _pdf_text(world.client_for("clerk").get(reverse("onboarding:notice_letter", args=[d34.pk])).content)
    assert text.startswith("SECTOR Program Statewide Electronic Collision & Traffic Online Records")
    assert "Washington State Patrol · Washington Association of Sheriffs and Police Chiefs · " in text
    assert "3060 Willamette Drive NE, Lacey, WA 98516" in text
    assert "The Clerk of the Court, Thurston County District Court" in text
    assert f"Please reply by {d34.reply_by:%B} {d34.reply_by.day}, {d34.reply_by.year}." in text
    assert "Sincerely, Chief Ana Ruiz Chief Olympia Police Department" in text  # the agency contact signs


@pytest.mark.parametrize(
    ("sent", "reply_by"),
    [
        (date(2026, 3, 2), date(2026, 4, 1)),  # 30 days later, a Wednesday
        (date(2026, 10, 12), date(2026, 11, 12)),  # Nov 11 is Veterans Day: the next business day
        (date(2026, 11, 27), date(2026, 12, 28)),  # Dec 27 is a Sunday: Monday
    ],
)
def test_the_reply_by_date_is_thirty_days_on_and_falls_on_a_business_day(world, submitted, sent, reply_by):
    from datetime import datetime, time

    from django.utils import timezone

    d34 = submitted.court_notices.get(court=world.court_a)
    CourtNotice.objects.filter(pk=d34.pk).update(created_at=timezone.make_aware(datetime.combine(sent, time(10))))
    d34.refresh_from_db()
    assert d34.reply_by == reply_by


def test_the_decision_records_who_decided_by_name_and_title(world, submitted):
    d34 = submitted.court_notices.get(court=world.court_a)
    client = world.client_for("clerk")
    form = client.get(reverse("onboarding:notice", args=[d34.pk])).content.decode()
    assert "Decided for the court by" in form and "Their title" in form
    missing = client.post(
        reverse("onboarding:notice_decide", args=[d34.pk]),
        {"decision": "will_accept", "accept_from": "2027-01-04", "decider_name": "Ray Holloway"},
    )
    assert missing.status_code == 400 and "Give the title of the person who decided" in missing.content.decode()
    client.post(reverse("onboarding:notice_decide", args=[d34.pk]),
                {"decision": "will_accept", "accept_from": "2027-01-04", "decider_name": "Ray Holloway",
                 "decider_title": "Court Administrator"})  # fmt: skip
    d34.refresh_from_db()
    assert (d34.decider_name, d34.decider_title, d34.decided_by) == (
        "Ray Holloway",
        "Court Administrator",
        world.users["clerk"],
    )
    page = client.get(reverse("onboarding:notice", args=[d34.pk])).content.decode()
    assert "Decided for the court by <strong>Ray Holloway</strong>, Court Administrator" in page
    entry = AuditEntry.objects.filter(action="onboarding.notice.readiness_decided").latest("id")
    assert entry.changes["decider_title"] == ["", "Court Administrator"]
    with pytest.raises(OnboardingError, match="by name and title"):
        notices.court_readiness_decide(
            notice=d34, actor=world.users["clerk"], decision="will_accept", accept_from=date(2027, 1, 4)
        )  # the clerk's account has no title


def test_an_accept_from_date_before_the_notice_is_warned_about(world, submitted):
    d34 = submitted.court_notices.get(court=world.court_a)
    client = world.client_for("clerk")
    before = d34.sent_on.replace(year=d34.sent_on.year - 1)
    decision = {"decision": "will_accept", "accept_from": before.isoformat(), "decider_name": "Ray Holloway",
                "decider_title": "Court Administrator"}  # fmt: skip
    response = client.post(reverse("onboarding:notice_decide", args=[d34.pk]), decision, follow=True)
    page = response.content.decode()
    assert page.count("before the notice was sent on") == 2  # the message after saving, and the notice page
    d34.refresh_from_db()
    assert d34.accepts_before_notice
    assert (
        AuditEntry.objects.filter(action="onboarding.notice.readiness_decided")
        .latest("id")
        .data["accepts_before_notice"]
    )
    client.post(reverse("onboarding:notice_decide", args=[d34.pk]),
                {"decision": "will_accept", "accept_from": "2099-01-05", "decider_name": "Ray Holloway",
                 "decider_title": "Court Administrator"})  # fmt: skip
    page = client.get(reverse("onboarding:notice", args=[d34.pk])).content.decode()
    assert "before the notice was sent" not in page
