from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class OrgLink:
    kind: str  # "agency" or "court"
    name: str
    code: str
    url: str
    detail: str


def organisations_for(user) -> list[OrgLink]:
    """The agencies and courts the user acts for, from their memberships (one query)."""
    if not user.is_authenticated:
        return []
    out = []
    for m in user.memberships.select_related("agency", "court").order_by("id"):
        if m.agency_id:
            a = m.agency
            out.append(
                OrgLink(
                    "agency",
                    a.name,
                    a.ori,
                    reverse("orgs:agency_detail", args=[a.ori]),
                    f"{a.get_kind_display()}, {a.county} County · {a.records_system}",
                )
            )
        else:
            c = m.court
            out.append(
                OrgLink(
                    "court",
                    c.name,
                    c.code,
                    reverse("orgs:court_detail", args=[c.code]),
                    f"{c.get_kind_display()}, {c.county} County",
                )
            )
    return out
