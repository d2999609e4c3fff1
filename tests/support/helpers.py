import io
from datetime import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from sector.core.calendar import PACIFIC
from sector.support import services
from sector.support.forms import check_attachment
from sector.support.models import Category, Priority
from sector.support.reference import ensure_reference


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 79, 143)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pacific(*args) -> datetime:
    return datetime(*args, tzinfo=PACIFIC)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def raise_request(world, who: str = "lasa", *, agency=None, court=None, priority="Normal", category="Transmission",
                  subject="Tickets stuck in the outbox", description="Car 12 shows transmission pending.",
                  files=(), created_at=None):  # fmt: skip
    ensure_reference()  # also used by tests/core's permission matrix, which may run after a flush
    if agency is None and court is None:
        agency = world.agency_a
    return services.request_create(
        actor=world.users[who],
        agency=agency,
        court=court,
        category=Category.objects.get(name=category),
        priority=Priority.objects.get(name=priority),
        subject=subject,
        description=description,
        files=[check_attachment(f) for f in files],
        created_at=created_at,
    )
