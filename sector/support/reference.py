"""The support desk's first reference data: categories, priorities and WSP's opening hours.

Loaded by a data migration (so a fresh install has them) and re-applied by seed_demo (after a test flush);
WSP edits them afterwards in the admin. Functions take the model classes so a migration can pass its own.
"""

from datetime import time

CATEGORIES = [
    ("Installation", "Installing or upgrading the SECTOR client on a laptop."),
    ("Credentials", "Sign-in problems, locked accounts, new officer credentials."),
    ("Transmission", "Tickets or collision reports not reaching WSP, the courts, DOT or DOL."),
    ("Printing", "Printing citations or reports in the car or at the office."),
    ("Barcode scanner", "2-D barcode scanner (USB-HID) reading licenses and registrations."),
    ("Training", "Officer or LASA training questions."),
    ("Other", "Anything else about the SECTOR program."),
]
PRIORITIES = [
    # name, description, first response (business h), resolution (business h), default
    ("Urgent", "Officers cannot issue tickets or transmit at all.", 2, 8, False),
    ("High", "A part of the work is blocked for several officers.", 4, 24, False),
    ("Normal", "One officer or one device affected; a workaround exists.", 8, 40, True),
    ("Low", "A question or a request for a change.", 16, 80, False),
]
BUSINESS_HOURS = {wd: (time(8, 0), time(17, 0)) for wd in range(5)}  # Monday-Friday 8:00-17:00 Pacific


def load_reference(Category, Priority, BusinessDay) -> None:
    for order, (name, description) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"description": description, "order": order * 10})
    for order, (name, description, first, resolution, default) in enumerate(PRIORITIES, start=1):
        Priority.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "order": order * 10,
                "first_response_hours": first,
                "resolution_hours": resolution,
                "is_default": default,
            },
        )
    for weekday, (opens, closes) in BUSINESS_HOURS.items():
        BusinessDay.objects.get_or_create(weekday=weekday, defaults={"opens": opens, "closes": closes})


def ensure_reference() -> None:
    from .models import BusinessDay, Category, Priority

    load_reference(Category, Priority, BusinessDay)
