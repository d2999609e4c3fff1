from django.db.models import Count, Q

from .models import Agency, Court


def program_summary() -> dict:
    """Statewide figures for the coordinators' home page (two aggregate queries)."""
    agencies = Agency.objects.aggregate(
        active=Count("id", filter=Q(active=True)),
        sector=Count("id", filter=Q(active=True, records_system="SECTOR")),
        tracs=Count("id", filter=Q(active=True, records_system="TraCS")),
        inactive=Count("id", filter=Q(active=False)),
    )
    courts = Court.objects.aggregate(total=Count("id"), etickets=Count("id", filter=Q(accepts_etickets=True)))
    return {"agencies": agencies, "courts": courts}
