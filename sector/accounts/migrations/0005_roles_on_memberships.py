"""Carry each agency or court role from the user's groups to the user's memberships of that kind.

Before: a role was a global group, so a LASA of agency A who was also a member of agency B acted as LASA at
B too. After: the role sits on each membership of the matching kind that the user already had — the same
reach as before for every user with one organization — and leaves the user's groups, which keep the
statewide roles only. A grant with no membership of its kind reached no records and is dropped (there is
nowhere to hold it); reverse puts every membership role back on the user's groups.
"""

from django.db import migrations

AGENCY_ROLES = ("lasa", "agency_contact", "collision_reviewer", "officer")
COURT_ROLES = ("court_clerk",)


def forward(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Membership = apps.get_model("accounts", "Membership")
    Group = apps.get_model("auth", "Group")
    groups = {g.name: g for g in Group.objects.filter(name__in=AGENCY_ROLES + COURT_ROLES)}
    for user in User.objects.filter(groups__name__in=list(groups)).distinct():
        held = [g for g in user.groups.all() if g.name in groups]
        for membership in Membership.objects.filter(user=user):
            kind = AGENCY_ROLES if membership.agency_id else COURT_ROLES
            membership.roles.add(*[g for g in held if g.name in kind])
        user.groups.remove(*held)


def backward(apps, schema_editor):
    Membership = apps.get_model("accounts", "Membership")
    for membership in Membership.objects.prefetch_related("roles"):
        membership.user.groups.add(*membership.roles.all())


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_membership_roles")]
    operations = [migrations.RunPython(forward, backward)]
