from datetime import timedelta

from celery import shared_task

from sector.core.periodic import once_per_slot

from .reminders import send_overdue_reminders


@shared_task(ignore_result=True)
@once_per_slot("collisions.overdue_reminder", period=timedelta(days=1))
def overdue_reminder_task() -> int:
    """Daily (Celery beat): each agency's reviewers hear about reports waiting more than 10 days."""
    return send_overdue_reminders()
