"""Demo data for `seed_demo`: real-looking Washington agencies and courts, and one user per role.

Idempotent: running it twice leaves the same data. Domain apps add their own through sector.core.registry.demo_seeders.
"""

from django.contrib.auth.models import Group

from sector.accounts.mfa.services import demo_totp_enroll
from sector.accounts.models import Membership, User
from sector.accounts.roles import STATEWIDE_ROLES, sync_roles
from sector.orgs.contacts_data import ensure_program_contacts
from sector.orgs.models import Agency, Court, Person, ProgramContact

DEMO_PASSWORD = "sector-demo"
# Every demo user's authenticator app has this one published base32 secret (README: "Demo TOTP secret"), so a
# newcomer adds it to any authenticator app once, or runs `manage.py demo_totp` for the current code.
DEMO_TOTP_SECRET = "SECTORDEMOTOTPSECRETFORNEWCOMERS"

AGENCIES = [
    # ori, name, county, kind, records system
    ("WA0340100", "Olympia Police Department", "Thurston", "police", "SECTOR"),
    ("WA0320400", "Spokane Police Department", "Spokane", "police", "TraCS"),
    ("WA0340000", "Thurston County Sheriff's Office", "Thurston", "sheriff", "SECTOR"),
    ("WA0340300", "Tumwater Police Department", "Thurston", "police", "SECTOR"),
    ("WA0340200", "Lacey Police Department", "Thurston", "police", "TraCS"),
    ("WA0390500", "Yakima Police Department", "Yakima", "police", "SECTOR"),
    ("WA0370100", "Bellingham Police Department", "Whatcom", "police", "TraCS"),
    ("WA0171200", "Kent Police Department", "King", "police", "SECTOR"),
    ("WA031019A", "Tulalip Tribal Police", "Snohomish", "tribal", "SECTOR"),
    ("WA0340600", "Yelm Police Department", "Thurston", "police", "SECTOR"),
    ("WA0320000", "Spokane County Sheriff's Office", "Spokane", "sheriff", "TraCS"),
    ("WAWSP0000", "Washington State Patrol", "Thurston", "state", "TraCS"),
]
COURTS = [
    # code, name, county, kind, accepts e-tickets
    ("D34", "Thurston County District Court", "Thurston", "district", True),
    ("M34OLY", "Olympia Municipal Court", "Thurston", "municipal", True),
    ("M32SPO", "Spokane Municipal Court", "Spokane", "municipal", True),
    ("D32", "Spokane County District Court", "Spokane", "district", True),
    ("M34TUM", "Tumwater Municipal Court", "Thurston", "municipal", True),
    ("M34LAC", "Lacey Municipal Court", "Thurston", "municipal", False),
    ("D39", "Yakima County District Court", "Yakima", "district", True),
    ("M37BEL", "Bellingham Municipal Court", "Whatcom", "municipal", True),
    ("M17KEN", "Kent Municipal Court", "King", "municipal", True),
    ("D31", "Snohomish County District Court", "Snohomish", "district", False),
]
# The courts' addresses as their notices print them (the courts that receive the demo tickets).
COURT_ADDRESSES = {
    "D34": ("2000 Lakeridge Drive SW\nOlympia, WA 98502", "(360) 786-5450"),
    "M34OLY": ("900 Plum Street SE\nOlympia, WA 98501", "(360) 753-8312"),
    "M34TUM": ("555 Israel Road SW\nTumwater, WA 98501", "(360) 754-4140"),
    "M32SPO": ("1100 West Mallon Avenue\nSpokane, WA 99260", "(509) 622-5860"),
    "D32": ("1100 West Mallon Avenue\nSpokane, WA 99260", "(509) 477-2960"),
}
AGENCY_A, AGENCY_B = "WA0340100", "WA0320400"
COURT_A, COURT_B = "D34", "M32SPO"

DEMO_USERS = [
    {
        "username": "admin",
        "first": "Alex",
        "last": "Admin",
        "role": None,
        "superuser": True,
        "describe": "system administrator (Django admin)",
    },
    {
        "username": "waspc",
        "first": "Joan",
        "last": "Smith",
        "role": "waspc_coordinator",
        "describe": "WASPC coordinator (statewide)",
    },
    {
        "username": "wsp",
        "first": "Marcus",
        "last": "Reyes",
        "role": "wsp_support",
        "describe": "WSP support (statewide)",
    },
    {
        "username": "aoc",
        "first": "Lori",
        "last": "Murphy",
        "role": "aoc_coordinator",
        "title": "Court Training Coordinator",
        "describe": "AOC coordinator (all courts)",
    },
    {
        "username": "clerk",
        "first": "Dana",
        "last": "Whitfield",
        "role": "court_clerk",
        "court": COURT_A,
        "title": "Court Clerk II",
        "describe": "court clerk, Thurston County District Court",
    },
    {
        "username": "clerk2",
        "first": "Priya",
        "last": "Nair",
        "role": "court_clerk",
        "court": COURT_B,
        "title": "Court Clerk",
        "describe": "court clerk, Spokane Municipal Court",
    },
    {
        "username": "lasa",
        "first": "Sam",
        "last": "Okafor",
        "role": "lasa",
        "agency": AGENCY_A,
        "describe": "LASA, Olympia Police Department (agency A)",
    },
    {
        "username": "lasa2",
        "first": "Grace",
        "last": "Lindqvist",
        "role": "lasa",
        "agency": AGENCY_B,
        "describe": "LASA, Spokane Police Department (agency B)",
    },
    {
        "username": "reviewer",
        "first": "Tom",
        "last": "Barrett",
        "role": "collision_reviewer",
        "agency": AGENCY_A,
        "describe": "collision reviewer (sergeant), Olympia Police Department",
    },
    {
        "username": "officer",
        "first": "Maria",
        "last": "Delgado",
        "role": "officer",
        "agency": AGENCY_A,
        "active": False,  # activated by the training seeder once her sanctioned training is recorded
        "describe": "officer, Olympia Police Department",
    },
]

OFFICERS = {
    AGENCY_A: [
        ("Maria", "Delgado", "OPD-1142"),
        ("Tom", "Barrett", "OPD-0871"),
        ("Kevin", "Oduya", "OPD-1203"),
        ("Hannah", "Pryce", "OPD-1219"),
        ("Luis", "Navarro", "OPD-0990"),
    ],
    AGENCY_B: [("Erin", "Walsh", "SPD-2231"), ("Dmitri", "Volkov", "SPD-2475"), ("Aisha", "Karim", "SPD-2502")],
}
COURT_STAFF = {
    COURT_A: [("Dana", "Whitfield", "Court Clerk II"), ("Ray", "Holloway", "Court Administrator")],
    COURT_B: [("Priya", "Nair", "Court Clerk"), ("Owen", "Sato", "Lead Clerk")],
}


def seed_platform(*, stdout=None) -> None:
    sync_roles()
    ensure_program_contacts(ProgramContact)
    for ori, name, county, kind, system in AGENCIES:
        Agency.objects.update_or_create(
            ori=ori, defaults={"name": name, "county": county, "kind": kind, "records_system": system}
        )
    for code, name, county, kind, accepts in COURTS:
        address, phone = COURT_ADDRESSES.get(code, ("", ""))
        Court.objects.update_or_create(
            code=code,
            defaults={
                "name": name, "county": county, "kind": kind, "accepts_etickets": accepts, "address": address,
                "phone": phone,
            },
        )  # fmt: skip
    agencies = {a.ori: a for a in Agency.objects.filter(ori__in=[AGENCY_A, AGENCY_B])}
    courts = {c.code: c for c in Court.objects.filter(code__in=[COURT_A, COURT_B])}
    groups = {g.name: g for g in Group.objects.all()}

    for spec in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=spec["username"],
            defaults={
                "first_name": spec["first"],
                "last_name": spec["last"],
                "email": f"{spec['username']}@example.wa.gov",
            },
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        if spec.get("superuser"):
            user.is_superuser = user.is_staff = True
        if spec.get("active", True):
            user.is_active = True
        elif created:
            user.is_active = False  # an officer signs in only once a completed sanctioned training is recorded
        user.title = spec.get("title", user.title)
        user.save()
        membership = None
        if spec.get("agency"):
            membership, _ = Membership.objects.get_or_create(user=user, agency=agencies[spec["agency"]])
        if spec.get("court"):
            membership, _ = Membership.objects.get_or_create(user=user, court=courts[spec["court"]])
        if spec["role"] in STATEWIDE_ROLES:
            user.groups.add(groups[spec["role"]])
        elif spec["role"] and membership is not None:
            membership.roles.add(groups[spec["role"]])  # an agency or court role is held at that organization
        demo_totp_enroll(actor=None, user=user, secret_base32=DEMO_TOTP_SECRET)

    users = {
        u.username: u for u in User.objects.filter(username__in=["officer", "reviewer", "clerk", "clerk2", "lasa"])
    }
    account_for = {
        ("Maria", "Delgado"): "officer",
        ("Tom", "Barrett"): "reviewer",
        ("Dana", "Whitfield"): "clerk",
        ("Priya", "Nair"): "clerk2",
    }
    for ori, people in OFFICERS.items():
        for first, last, number in people:
            Person.objects.update_or_create(
                agency=agencies[ori],
                personnel_number=number,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "kind": "officer",
                    "email": f"{first[0].lower()}{last.lower()}@example.wa.gov",
                    "user": users.get(account_for.get((first, last), "")),
                },
            )
    for code, people in COURT_STAFF.items():
        for first, last, _title in people:
            Person.objects.update_or_create(
                court=courts[code],
                first_name=first,
                last_name=last,
                defaults={
                    "kind": "court_staff",
                    "email": f"{first[0].lower()}{last.lower()}@example.wa.gov",
                    "user": users.get(account_for.get((first, last), "")),
                },
            )
    Person.objects.update_or_create(
        agency=agencies[AGENCY_A],
        first_name="Sam",
        last_name="Okafor",
        defaults={
            "kind": "agency_staff",
            "email": "lasa@example.wa.gov",
            "user": users.get("lasa"),
            "personnel_number": "OPD-LASA1",
        },
    )
    if stdout:
        stdout.write(f"platform: {len(AGENCIES)} agencies, {len(COURTS)} courts, {len(DEMO_USERS)} users")
