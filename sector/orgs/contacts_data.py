"""The three contacts named in the program overview ("Contacts"); seeded by migration 0002 and seed_demo."""

PROGRAM_CONTACTS = [
    {
        "order": 1,
        "role": "WASPC Program and Training Coordinator",
        "name": "Joan Smith",
        "organisation": "WASPC",
        "phone": "(360) 486-2393",
        "email": "jsmith@waspc.org",
        "helps_with": "Joining the program, the onboarding checklist, the survey and officer training events.",
    },
    {
        "order": 2,
        "role": "Court Training Coordinator",
        "name": "Lori Murphy",
        "organisation": "Administrative Office of the Courts",
        "phone": "(360) 704-4023",
        "email": "lori.murphy@courts.wa.gov",
        "helps_with": "Court readiness for e-tickets and training for court staff.",
    },
    {
        "order": 3,
        "role": "SECTOR Technical Support",
        "name": "WSP Support Team",
        "organisation": "Washington State Patrol",
        "phone": "(360) 705-5999",
        "email": "sector@wsp.wa.gov",
        "helps_with": "Installation, credentials, transmission problems, agreements and LASA approval.",
    },
]


def ensure_program_contacts(ProgramContact) -> None:
    """Create the published contacts that are missing (an administrator's edits to existing ones are kept)."""
    for contact in PROGRAM_CONTACTS:
        ProgramContact.objects.get_or_create(email=contact["email"], defaults=contact)
