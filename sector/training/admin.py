from django.contrib import admin

from .models import Registration, TrainingEvent, TrainingRecord


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["person", "registered_by", "registered_at", "attended"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TrainingEvent)
class TrainingEventAdmin(admin.ModelAdmin):
    """Read-only: events change through the portal's services (capacity, attendance and records are checked)."""

    list_display = ["title", "kind", "starts_at", "capacity", "status"]
    list_filter = ["kind", "status"]
    inlines = [RegistrationInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    list_display = ["person", "event", "kind", "completed_on"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
