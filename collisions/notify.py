"""Emails of the review workflow (rendered now, sent by Celery after commit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.urls import reverse

from sector.accounts.roles import LASA, REVIEWER
from sector.accounts.selectors import emails_of_role
from sector.core.links import absolute_url
from sector.core.mail import send_templated_mail

if TYPE_CHECKING:
    from sector.accounts.models import User


def _link(report) -> str:
    return absolute_url(reverse("collisions:report_detail", args=[report.pk]))


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
    to = set(emails_of_role(role=LASA, agency=report.agency_id))
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
    to = emails_of_role(role=REVIEWER, agency=agency)
    if not to or not reports:
        return 0
    send_templated_mail(
        to=to,
        subject_template="collisions/email/overdue_subject.txt",
        body_template="collisions/email/overdue_body.txt",
        context={
            "agency": agency,
            "reports": reports,
            "queue": absolute_url(reverse("collisions:review_queue")),
        },
    )
    return len(to)
