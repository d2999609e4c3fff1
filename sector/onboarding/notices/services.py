"""Notices to the courts of jurisdiction and the prosecutor, court readiness, prosecutor acknowledgment."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sector.accounts.roles import AOC, CLERK
from sector.accounts.selectors import emails_of_role
from sector.core.audit import actor_display, log_action
from sector.core.errors import DomainError
from sector.core.jobs import enqueue
from sector.core.links import absolute_url
from sector.core.mail import is_muted
from sector.core.permissions import can
from sector.core.throttle import throttle_hit

from ..checklist.services import step_complete_automatically
from ..choices import ACK_LINK_DAYS, Readiness, Step, SurveyStatus
from ..errors import OnboardingError, logs_refusal
from ..models import CourtNotice, ProsecutorNotice, Survey

if TYPE_CHECKING:
    from sector.accounts.models import User
    from sector.orgs.models import Court

ACK_SALT = "sector.onboarding.prosecutor-ack"


class AckLinkError(DomainError):
    """The acknowledgment link cannot be used: `kind` is expired, invalid or used."""

    def __init__(self, kind: str, message: str, notice: ProsecutorNotice | None = None):
        super().__init__(message)
        self.kind = kind
        self.notice = notice


def court_recipients(court: Court) -> list[str]:
    """The court's active clerks; AOC's coordinators when the court has no clerk with an address yet."""
    return emails_of_role(role=CLERK, court=court) or emails_of_role(role=AOC)


def _send_or_mark(notice: CourtNotice | ProsecutorNotice, task: Any) -> None:
    """Email the notice by `task` after commit (a Celery task taking the notice's id)."""
    if is_muted():  # demo data: recorded as sent, never mailed
        type(notice).objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
    else:
        enqueue(task, notice.pk)


def notices_create(*, survey: Survey, actor: User) -> None:
    """Run inside the submit transaction: one notice per court of jurisdiction and one for the prosecutor,
    each emailed (with its PDF letter) by a task after commit."""
    from ..tasks import send_court_notice_task, send_prosecutor_notice_task

    for court in survey.courts.order_by("name", "id"):
        notice, created = CourtNotice.objects.get_or_create(
            survey=survey, court=court, defaults={"recipients": court_recipients(court)}
        )
        if created:
            log_action("onboarding.notice.court_created", obj=survey, actor=actor, data={"court": court.code})
            _send_or_mark(notice, send_court_notice_task)
    prosecutor_notice, created = ProsecutorNotice.objects.get_or_create(
        survey=survey,
        defaults={
            "name": survey.prosecutor_name,
            "office": survey.prosecutor_office,
            "email": survey.prosecutor_email,
            "link_key": secrets.token_urlsafe(24),
        },
    )
    if created:
        log_action(
            "onboarding.notice.prosecutor_created", obj=survey, actor=actor, data={"office": prosecutor_notice.office}
        )
        _send_or_mark(prosecutor_notice, send_prosecutor_notice_task)


# --- the prosecutor's signed link ------------------------------------------------------------------------


def ack_token(notice: ProsecutorNotice) -> str:
    return signing.dumps({"n": notice.pk, "k": notice.link_key}, salt=ACK_SALT, compress=True)


def ack_url(notice: ProsecutorNotice) -> str:
    return absolute_url(reverse("onboarding:acknowledge", kwargs={"token": ack_token(notice)}))


def ack_expires_on(notice: ProsecutorNotice) -> date:
    return notice.link_expires_on()


def prosecutor_link_renew(*, notice: ProsecutorNotice, actor: User) -> ProsecutorNotice:
    """A new acknowledgment link for a prosecutor whose link expired, mailed to them. The old link stays dead:
    the notice's random key changes, so a link signed with the old key is refused as replaced."""
    from ..tasks import send_prosecutor_notice_task

    with transaction.atomic():
        locked = (
            ProsecutorNotice.objects.select_for_update(of=("self",))
            .select_related("survey__onboarding__agency")
            .get(pk=notice.pk)
        )
        if not can(actor, "renew_link", locked):
            raise OnboardingError("Only the agency's LASA or contact can send the prosecutor a new link.")
        if locked.acknowledged_at is not None:
            raise OnboardingError("The prosecutor already acknowledged the notice; no new link is needed.")
        if not locked.link_expired:
            raise OnboardingError(
                f"The prosecutor's link still works until {_long_date(locked.link_expires_on())}; "
                "a new one can be sent once it has expired."
            )
        before = locked.link_expires_on()
        locked.link_key = secrets.token_urlsafe(24)
        locked.link_issued_at = timezone.now()
        locked.links_issued += 1
        locked.emailed_at = None
        locked.save(update_fields=["link_key", "link_issued_at", "links_issued", "emailed_at"])
        log_action(
            "onboarding.notice.prosecutor_link_renewed",
            obj=locked.survey,
            actor=actor,
            changes={"link_expires_on": [before, locked.link_expires_on()]},
            data={"office": locked.office, "email": locked.email, "links_issued": locked.links_issued},
        )
        _send_or_mark(locked, send_prosecutor_notice_task)
    return locked


def ack_notice_for(token: str, *, max_age_days: int = ACK_LINK_DAYS) -> ProsecutorNotice:
    """The notice a link names, or AckLinkError: forged or altered (invalid), too old (expired)."""
    try:
        payload = signing.loads(token, salt=ACK_SALT, max_age=timedelta(days=max_age_days))
    except signing.SignatureExpired:
        raise AckLinkError("expired", "This acknowledgment link has expired.") from None
    except signing.BadSignature:
        raise AckLinkError("invalid", "This acknowledgment link is not valid.") from None
    number = payload.get("n") if isinstance(payload, dict) else None
    notice = (
        ProsecutorNotice.objects.select_related("survey__onboarding__agency").filter(pk=number).first()
        if isinstance(number, int)
        else None
    )
    if notice is None or not secrets.compare_digest(str(payload.get("k", "")), notice.link_key):
        raise AckLinkError("invalid", "This acknowledgment link is not valid (it may have been replaced).")
    return notice


def prosecutor_acknowledge(*, token: str, ip: str | None, name: str = "") -> ProsecutorNotice:
    """Acknowledge once. A reused, altered or expired link is refused and the attempt logged."""
    try:
        notice = ack_notice_for(token)
        with transaction.atomic():
            locked = ProsecutorNotice.objects.select_for_update().get(pk=notice.pk)
            if locked.acknowledged_at is not None:
                raise AckLinkError("used", "This notice was already acknowledged; the link works once.", locked)
            locked.acknowledged_at = timezone.now()
            locked.acknowledged_ip = ip
            locked.acknowledged_name = (name or "").strip()[:120]
            locked.save(update_fields=["acknowledged_at", "acknowledged_ip", "acknowledged_name"])
            log_action(
                "onboarding.notice.prosecutor_acknowledged",
                obj=locked.survey,
                actor_name=f"{locked.name} ({locked.office}) via signed link",
                data={"ip": ip or "", "name": locked.acknowledged_name},
            )
        return locked
    except AckLinkError as exc:
        log_ack_refused(exc, ip)
        raise


def log_ack_refused(exc: AckLinkError, ip: str | None) -> None:
    """Log a refused link, up to `audit.anonymous_refusals` per window across all addresses: anyone can post
    to this page, and a flood of forged links must not fill the append-only log (the address limit on the
    page, `ack.address`, refuses most of them before they get here)."""
    if not throttle_hit(scope="audit.anonymous_refusals", value="onboarding.notice.acknowledge").allowed:
        return
    log_action(
        "onboarding.notice.acknowledge_refused",
        obj=exc.notice.survey if exc.notice else None,
        actor_name="signed link",
        data={"reason": exc.kind, "ip": ip or ""},
    )


# --- court readiness -------------------------------------------------------------------------------------


def decide_refusal(user: User, notice: CourtNotice) -> str:
    """Why `user` may not record the court's readiness ("" when they may): the policy's `decide` (AOC
    statewide, a clerk at the notice's own court)."""
    if not can(user, "decide", notice):
        return "Only AOC or a clerk of this court records the court's readiness."
    return ""


@logs_refusal("onboarding.notice.decide", "notice")
def court_readiness_decide(
    *, notice: CourtNotice, actor: User, decision: str, accept_from: date | None = None, reason: str = "",
    decider_name: str = "", decider_title: str = "",
) -> CourtNotice:  # fmt: skip
    """AOC or the court's clerk records the court's decision: will accept the agency's e-tickets from a date, or
    not yet and why; with who decided for the court, by name and title (the recording user when not given)."""
    if decision == Readiness.WILL_ACCEPT and not accept_from:
        raise OnboardingError("Give the date from which the court will accept the agency's e-tickets.")
    if decision == Readiness.NOT_YET and not (reason or "").strip():
        raise OnboardingError("Say why the court is not ready yet, so the agency knows what to do.")
    if decision not in (Readiness.WILL_ACCEPT, Readiness.NOT_YET):
        raise OnboardingError("Choose “will accept” or “not yet”.")
    with transaction.atomic():
        locked = (
            CourtNotice.objects.select_for_update(of=("self",)).select_related("survey__onboarding").get(pk=notice.pk)
        )
        if why := decide_refusal(actor, locked):
            raise OnboardingError(why)
        decider_name = (decider_name or "").strip() or actor.get_full_name()
        decider_title = (decider_title or "").strip() or getattr(actor, "title", "")
        if not decider_name or not decider_title:
            raise OnboardingError("Say who decided for the court, by name and title (e.g. Court Administrator).")
        fields = ("decision", "accept_from", "reason", "decider_name", "decider_title")
        before = {k: getattr(locked, k) for k in fields}
        locked.decision = decision
        locked.accept_from = accept_from if decision == Readiness.WILL_ACCEPT else None
        locked.reason = (reason or "").strip()[:2000] if decision == Readiness.NOT_YET else ""
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.decided_by_name = actor_display(actor)
        locked.decider_name = decider_name[:120]
        locked.decider_title = decider_title[:120]
        locked.save(update_fields=[*fields, "decided_at", "decided_by", "decided_by_name"])
        after = {k: getattr(locked, k) for k in fields}
        log_action(
            "onboarding.notice.readiness_decided",
            obj=locked.survey,
            actor=actor,
            changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
            data={"court": locked.court.code, "accepts_before_notice": locked.accepts_before_notice},
        )
        check_survey_step(locked.survey)
    return locked


def _long_date(day: date | None) -> str:
    if day is None:
        return "—"
    return f"{day:%B} {day.day}, {day.year}"


def backdated_warning(notice: CourtNotice) -> str:
    return (
        f"The court will accept e-tickets from {_long_date(notice.accept_from)}, before the notice was sent on "
        f"{_long_date(notice.sent_on)}: check the date with the court."
    )


def survey_step_blockers(survey: Survey) -> list[str]:
    """What still keeps the survey step (survey, notices, court readiness) open; empty when it can complete."""
    if survey.status != SurveyStatus.SUBMITTED:
        return ["The survey is not submitted."]
    out: list[str] = []
    for n in survey.court_notices.select_related("court").order_by("court__name"):
        if n.decision == Readiness.PENDING:
            out.append(f"{n.court.name} has not decided whether it will accept e-tickets.")
        elif n.decision == Readiness.NOT_YET:
            out.append(f"{n.court.name} is not ready yet: {n.reason}")
    if not ProsecutorNotice.objects.filter(survey=survey).exists():
        out.append("The prosecutor has not been notified.")
    return out


def check_survey_step(survey: Survey) -> bool:
    """The survey step completes itself once the survey is in, the prosecutor notified, and every court will accept."""
    if survey_step_blockers(survey):
        return False
    courts = ", ".join(survey.court_notices.order_by("court__name").values_list("court__code", flat=True))
    return step_complete_automatically(
        onboarding=survey.onboarding,
        number=Step.SURVEY_AND_NOTICES,
        evidence_text=f"Survey submitted {timezone.localdate(survey.submitted_at):%b %d, %Y}; prosecutor notified; "
        f"courts ready: {courts}.",
    )
