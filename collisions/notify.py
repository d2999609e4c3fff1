"""Emails of the review workflow (rendered now, sent by Celery after commit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from sector.accounts.roles import LASA, REVIEWER
from sector.core.mail import send_templated_mail

if TYPE_CHECKING:
    from sector.accounts.models import User


def _agency_emails(agency_id: int, role: str) -> list[str]:
    User = get_user_model()
    return sorted(
        set(
            User.objects.filter(is_active=True, groups__name=role, memberships__agency_id=agency_id)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def _link(report) -> str:
    return getattr(settings, "PORTAL_BASE_URL", "").rstrip("/") + reverse("collisions:report_detail", args=[report.pk])


def notify_replaced_under_review(*, reports) -> None:
    """The reviewer holding a claim is told that a newer version replaced the one they are reading."""
    User = get_user_model()
    claimers = {u.pk: u for u in User.objects.filter(pk__in={r.claimed_by_id for r in reports if r.claimed_by_id})}
    for report in reports:
        user = claimers.get(report.claimed_by_id)
        if user is None or not user.email:
            continue
        send_templated_mail(
            to=[user.email],
            subject_template="collisions/email/replaced_subject.txt",
            body_template="collisions/email/replaced_body.txt",
            context={"report": report, "link": _link(report)},
        )


def notify_returned(*, report, notes, actor: User) -> None:
    """The officer who wrote the report and the agency's LASAs see the notes by email."""
    to = set(_agency_emails(report.agency_id, LASA))
    if report.author_id and report.author.email:
        to.add(report.author.email)
    if to:
        send_templated_mail(
            to=sorted(to),
            subject_template="collisions/email/returned_subject.txt",
            body_template="collisions/email/returned_body.txt",
            context={"report": report, "notes": notes, "reviewer": actor, "link": _link(report)},
        )


def notify_overdue(*, agency, reports) -> int:
    to = _agency_emails(agency.pk, REVIEWER)
    if not to or not reports:
        return 0
    send_templated_mail(
        to=to,
        subject_template="collisions/email/overdue_subject.txt",
        body_template="collisions/email/overdue_body.txt",
        context={
            "agency": agency,
            "reports": reports,
            "queue": getattr(settings, "PORTAL_BASE_URL", "").rstrip("/") + reverse("collisions:review_queue"),
        },
    )
    return len(to)
