from celery import shared_task

from .reminders import send_overdue_reminders


@shared_task(ignore_result=True)
def overdue_reminder_task() -> int:
    """Daily (Celery beat): each agency's reviewers hear about reports waiting more than 10 days."""
    return send_overdue_reminders()
