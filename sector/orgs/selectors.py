from django.db.models import Count, Q

from .models import Agency, Court


def program_summary() -> dict:
    """Statewide figures for the coordinators' home page (two aggregate queries)."""
    agencies = Agency.objects.aggregate(
        n_active=Count("id", filter=Q(active=True)),
        n_sector=Count("id", filter=Q(active=True, records_system="SECTOR")),
        n_tracs=Count("id", filter=Q(active=True, records_system="TraCS")),
        n_inactive=Count("id", filter=Q(active=False)),
    )
    courts = Court.objects.aggregate(n_total=Count("id"), n_etickets=Count("id", filter=Q(accepts_etickets=True)))
    return {"agencies": agencies, "courts": courts}
