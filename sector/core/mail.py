"""Mail helper: render now, send through Celery after commit."""

from django.template.loader import render_to_string

from .jobs import enqueue
from .tasks import send_email_task


def send_templated_mail(
    *, to: list[str], subject_template: str, body_template: str, context: dict, html_template: str | None = None
) -> None:
    subject = "".join(render_to_string(subject_template, context).splitlines()).strip()
    body = render_to_string(body_template, context)
    html = render_to_string(html_template, context) if html_template else None
    enqueue(send_email_task, subject=subject, body=body, to=list(to), html=html)
