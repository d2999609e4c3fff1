import factory
from django.contrib.auth.models import Group

from sector.accounts.models import Membership, User
from sector.accounts.roles import COURT_ROLES, STATEWIDE_ROLES
from sector.accounts.scope import forget_scope
from sector.orgs.models import Agency, Court, Person

PASSWORD = "test-pass-123"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("ori",)

    ori = factory.Sequence(lambda n: f"WA{n:07d}")
    name = factory.Sequence(lambda n: f"Test Police Department {n}")
    county = "Thurston"
    kind = "police"
    records_system = "SECTOR"


class CourtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Court
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"Test Municipal Court {n}")
    county = "Thurston"
    kind = "municipal"
    accepts_etickets = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def finish(self, create, extracted, **kwargs):
        if create:
            self.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"Officer{n}")
    personnel_number = factory.Sequence(lambda n: f"P{n:05d}")
    kind = "officer"
    agency = factory.SubFactory(AgencyFactory)


def make_user(username: str, role: str | None = None, *, agency=None, court=None, **fields) -> User:
    """A user with one role and, when given, a membership of one agency or court (where an agency or court role
    is held)."""
    user = UserFactory(username=username, **fields)
    memberships = []
    if agency is not None:
        memberships.append(Membership.objects.get_or_create(user=user, agency=agency)[0])
    if court is not None:
        memberships.append(Membership.objects.get_or_create(user=user, court=court)[0])
    if role:
        group = Group.objects.get(name=role)
        if role in STATEWIDE_ROLES:
            user.groups.add(group)
        else:  # an agency or court role is held on the membership of that organization
            kind = "court" if role in COURT_ROLES else "agency"
            held = [m for m in memberships if (m.court_id if kind == "court" else m.agency_id)]
            if not held:
                raise ValueError(f"make_user: role {role} is held at an {kind}; give {kind}=")
            for m in held:
                m.roles.add(group)
    forget_scope(user)
    return user


def run_seed_demo() -> None:
    """seed_demo refuses to run with DEBUG off, with no way around it (the demo password is public); the test
    settings have DEBUG off, so tests turn it on around the command."""
    from io import StringIO

    from django.core.management import call_command
    from django.test import override_settings

    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=StringIO())
