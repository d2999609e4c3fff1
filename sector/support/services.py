"""Every write of the support desk. Views, the admin and the demo seeder all come through here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from sector.core.audit import log_action
from sector.core.calendar import BusinessCalendar
from sector.core.errors import DomainError
from sector.core.permissions import organizations_with
from sector.core.uploads import CheckedFile

from . import notifications
from .business_hours import load_calendar
from .choices import REOPENED_BY_REQUESTER_REPLY, Status
from .models import Attachment, Category, Message, Priority, SupportRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from sector.accounts.models import User
    from sector.orgs.models import Agency, Court

HANDLE_PERM = "support.handle_supportrequest"
DUPLICATE_WINDOW = timedelta(minutes=2)  # the same text again this soon is a double submission


class SupportError(DomainError):
    """A request cannot do what was asked in its current state; the message says why, for the user."""


def is_support_agent(user: User | AnonymousUser | None) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(HANDLE_PERM))


def _locked(pk: int, actor: User, action: str = "view") -> SupportRequest:
    """The request, row-locked and re-checked with the policy's `action` inside the write's transaction."""
    try:
        return SupportRequest.objects.restrict(actor, action).select_for_update(of=("self",)).get(pk=pk)
    except SupportRequest.DoesNotExist:
        raise PermissionDenied("This request is outside your organizations.") from None


def _due_times(
    created_at: datetime, priority: Priority, calendar: BusinessCalendar | None
) -> tuple[datetime, datetime]:
    calendar = calendar or load_calendar()
    return (
        calendar.add_business_hours(created_at, priority.first_response_hours),
        calendar.add_business_hours(created_at, priority.resolution_hours),
    )


def _attach(
    files: Iterable[CheckedFile], *, support_request: SupportRequest, message: Message | None, actor: User
) -> list[Attachment]:
    saved: list[Attachment] = []
    for f in files:
        att = Attachment(
            request=support_request,
            message=message,
            original_name=f.name,
            content_type=f.content_type,
            size=f.size,
            sha256=f.sha256,
            uploaded_by=actor,
        )
        f.upload.seek(0)
        att.file.save(f.name, f.upload, save=False)
        att.save()
        saved.append(att)
    return saved


def request_create(
    *,
    actor: User,
    category: Category,
    priority: Priority,
    subject: str,
    description: str,
    agency: Agency | None = None,
    court: Court | None = None,
    files: Iterable[CheckedFile] = (),
    created_at: datetime | None = None,
    calendar: BusinessCalendar | None = None,
) -> SupportRequest:
    """Raise a request for one of the requester's own organizations; WSP support is told by email."""
    if (agency is None) == (court is None):
        raise SupportError("Choose the agency or the court the request is for.")
    if not actor.has_perm("support.add_supportrequest"):
        raise PermissionDenied("Your role cannot raise support requests.")
    kind, org_id = ("agency", agency.pk) if agency is not None else ("court", court.pk if court else None)
    where = organizations_with(actor, "support.add_supportrequest", kind)  # a role held at that organization
    if where is not None and org_id not in set(where):
        raise PermissionDenied("You can raise requests only for your own agency or court.")
    if not category.active or not priority.active:
        raise SupportError("That category or priority is no longer offered; choose another.")
    created_at = created_at or timezone.now()
    first_due, resolution_due = _due_times(created_at, priority, calendar)
    with transaction.atomic():
        # A double-clicked "send" must not raise the request twice: the requester's row serializes their
        # submissions, and the same text again within a short window is the request already raised.
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        what = {
            "requester": actor,
            "agency": agency,
            "court": court,
            "category": category,
            "priority": priority,
            "subject": subject.strip(),
            "description": description.strip(),
        }
        duplicate = (
            SupportRequest.objects.filter(**what, created_at__gte=created_at - DUPLICATE_WINDOW).order_by("-id").first()
        )
        if duplicate is not None:
            return duplicate
        sr = SupportRequest.objects.create(
            **what,
            created_at=created_at,
            first_response_due=first_due,
            resolution_due=resolution_due,
        )
        attachments = _attach(files, support_request=sr, message=None, actor=actor)
        log_action(
            "support.request.created",
            obj=sr,
            actor=actor,
            data={
                "organisation": str(sr.organisation),
                "category": category.name,
                "priority": priority.name,
                **({"attachments": [a.original_name for a in attachments]} if attachments else {}),
            },
        )
        notifications.request_received(sr)
    return sr


def request_triage(
    *,
    support_request: SupportRequest,
    actor: User,
    priority: Priority,
    category: Category,
    assignee: User | None = None,
) -> SupportRequest:
    """WSP sets who handles the request, its priority (which moves its due times) and its category."""
    if not is_support_agent(actor):
        raise PermissionDenied
    if assignee is not None and not is_support_agent(assignee):
        raise SupportError(f"{assignee} is not on the WSP support team.")
    with transaction.atomic():
        sr = _locked(support_request.pk, actor, "handle")
        if sr.status == Status.CLOSED:
            raise SupportError("This request is closed; it can no longer be triaged.")
        before = {"assignee": sr.assignee, "priority": sr.priority, "category": sr.category}
        fields: list[str] = []
        if sr.priority_id != priority.pk:
            sr.priority = priority
            calendar = load_calendar()
            sr.first_response_due, sr.resolution_due = _due_times(sr.created_at, priority, calendar)
            if sr.resolution_paused:  # earlier waits on the requester stay off the clock under the new target
                hours = sr.resolution_paused.total_seconds() / 3600
                sr.resolution_due = calendar.add_business_hours(sr.resolution_due, hours)
            fields += ["priority", "first_response_due", "resolution_due"]
        if sr.category_id != category.pk:
            sr.category = category
            fields.append("category")
        if sr.assignee_id != (assignee.pk if assignee else None):
            sr.assignee = assignee
            fields.append("assignee")
        if not fields:
            return sr
        sr.save(update_fields=[*fields, "updated_at"])
        after = {"assignee": sr.assignee, "priority": sr.priority, "category": sr.category}
        changes = {k: [str(before[k] or ""), str(after[k] or "")] for k in before if before[k] != after[k]}
        log_action("support.request.triaged", obj=sr, actor=actor, changes=changes)
        if "assignee" in fields and assignee is not None and assignee.pk != actor.pk:
            notifications.request_assigned(sr)
    return sr


def _resume_clock(sr: SupportRequest, since: datetime, now: datetime) -> list[str]:
    """The wait on the requester (since `since`) ends: its business time is kept off the resolution clock, and
    the due time moves so the business time that was left when the wait began is still left now."""
    calendar = load_calendar()
    paused = calendar.business_time_between(since, now)
    if sr.resolution_due > since:  # a target already missed before the wait stays missed
        remaining = calendar.business_time_between(since, sr.resolution_due)
        sr.resolution_due = calendar.add_business_hours(now, remaining.total_seconds() / 3600)
    sr.resolution_paused += paused
    sr.waiting_since = None
    return ["resolution_due", "resolution_paused", "waiting_since"]


def _apply_status(sr: SupportRequest, to_status: str, *, actor: User, now: datetime, reason: str) -> None:
    before = sr.status
    sr.status = to_status
    fields = ["status", "updated_at"]
    data: dict[str, Any] = {"reason": reason}
    if before == Status.WAITING and sr.waiting_since is not None:
        paused_from = sr.waiting_since
        fields += _resume_clock(sr, paused_from, now)
        data["clock_paused"] = {"from": paused_from.isoformat(), "to": now.isoformat()}
    elif to_status == Status.WAITING:
        sr.waiting_since = now
        fields.append("waiting_since")
    if to_status == Status.RESOLVED:
        sr.resolved_at = now
        fields.append("resolved_at")
    elif to_status == Status.CLOSED:
        sr.closed_at = now
        fields.append("closed_at")
    elif before == Status.RESOLVED:
        sr.resolved_at = None  # reopened: the resolution clock runs on from the original request
        fields.append("resolved_at")
    sr.save(update_fields=fields)
    log_action(
        "support.request.status_changed",
        obj=sr,
        actor=actor,
        changes={"status": [before, to_status]},
        data=data,
    )


def request_move(
    *, support_request: SupportRequest, actor: User, status: str, now: datetime | None = None
) -> SupportRequest:
    """WSP moves the request along new → in progress → waiting on requester → resolved → closed."""
    if not is_support_agent(actor):
        raise PermissionDenied
    with transaction.atomic():
        sr = _locked(support_request.pk, actor, "handle")
        if not sr.can_move_to(status):
            raise SupportError(
                f"A request that is {sr.get_status_display().lower()} cannot become {Status(status).label.lower()}."
                if status in Status.values
                else "That is not a status."
            )
        _apply_status(sr, status, actor=actor, now=now or timezone.now(), reason="moved by support")
        if status in (Status.WAITING, Status.RESOLVED, Status.CLOSED):
            notifications.status_changed(sr)
    return sr


def request_assign_to_me(*, support_request: SupportRequest, actor: User) -> SupportRequest:
    """One click from the queue or the request page: the acting WSP agent takes the request."""
    return request_triage(
        support_request=support_request,
        actor=actor,
        priority=support_request.priority,
        category=support_request.category,
        assignee=actor,
    )


def request_reply(
    *,
    support_request: SupportRequest,
    actor: User,
    body: str,
    files: Iterable[CheckedFile] = (),
    internal: bool = False,
    status: str | None = None,
    now: datetime | None = None,
) -> Message:
    """Add to the conversation. WSP's first public answer stops the first-response clock and starts work on a
    new request; a requester's answer reopens a request that was waiting on them or resolved. An internal note
    is for WSP alone and sends no email to the requester."""
    from_support = is_support_agent(actor)
    if internal and not from_support:
        raise PermissionDenied("Only WSP support writes internal notes.")
    if status and (internal or not from_support):
        raise SupportError("Only WSP support sets a status with a reply.")
    body = (body or "").strip()
    if not body:
        raise SupportError("Write a message.")
    files = list(files)
    if files and internal:
        raise SupportError("Internal notes take no attachments; attach files to a reply.")
    now = now or timezone.now()
    with transaction.atomic():
        sr = _locked(support_request.pk, actor, "handle" if from_support else "message")
        duplicate = (
            Message.objects.filter(
                request=sr, author=actor, internal=internal, body=body, created_at__gte=now - DUPLICATE_WINDOW
            )
            .order_by("-id")
            .first()
        )
        if duplicate is not None:
            return duplicate  # a double submission: the message is already there (and was already emailed)
        if not sr.accepts_replies():
            raise SupportError("This request is closed. Raise a new request if the problem is back.")
        if status and not sr.can_move_to(status):
            raise SupportError(
                f"A request that is {sr.get_status_display().lower()} cannot become "
                f"{Status(status).label.lower() if status in Status.values else status}."
            )
        message = Message.objects.create(
            request=sr, author=actor, from_support=from_support, internal=internal, body=body, created_at=now
        )
        attachments = _attach(files, support_request=sr, message=message, actor=actor)
        log_action(
            "support.note.added" if internal else "support.reply.added",
            obj=sr,
            actor=actor,
            data={
                "message": message.pk,
                **({"attachments": [a.original_name for a in attachments]} if attachments else {}),
            },
        )
        if internal:
            return message
        if from_support:
            if sr.first_response_at is None:
                sr.first_response_at = now
                sr.save(update_fields=["first_response_at", "updated_at"])
            if status:
                _apply_status(sr, status, actor=actor, now=now, reason="with a reply")
            elif sr.status == Status.NEW:
                _apply_status(sr, Status.IN_PROGRESS, actor=actor, now=now, reason="first answer")
            notifications.support_replied(sr, message)
        else:
            if sr.status in REOPENED_BY_REQUESTER_REPLY:
                _apply_status(sr, Status.IN_PROGRESS, actor=actor, now=now, reason="requester replied")
            notifications.requester_replied(sr, message)
    return message
