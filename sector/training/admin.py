from django.contrib import admin

from sector.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Registration, TrainingEvent, TrainingRecord


class RegistrationInline(ReadOnlyInline):
    model = Registration
    fields = ["person", "registered_by", "registered_at", "attended"]
    readonly_fields = fields


@admin.register(TrainingEvent)
class TrainingEventAdmin(ReadOnlyAdmin):
    """Read-only: events change through the portal's services (capacity, attendance and records are checked)."""

    list_display = ["title", "kind", "starts_at", "capacity", "status"]
    list_filter = ["kind", "status"]
    inlines = [RegistrationInline]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ReadOnlyAdmin):
    list_display = ["person", "event", "kind", "completed_on"]
    list_filter = ["kind"]
