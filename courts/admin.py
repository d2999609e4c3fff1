from django.contrib import admin

from sector.core.admin import AuditedAdminMixin

from .models import CourtCalendar, CourtClosure, FilingDeadline


@admin.register(CourtCalendar)
class CourtCalendarAdmin(admin.ModelAdmin):
    list_display = ("court", "opens_at", "closes_at", "case_number_pattern", "next_case_seq")
    list_select_related = ("court",)
    autocomplete_fields = ()


@admin.register(CourtClosure)
class CourtClosureAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("date", "court", "reason")
    list_filter = ("court",)
    list_select_related = ("court",)
    date_hierarchy = "date"


@admin.register(FilingDeadline)
class FilingDeadlineAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("kind", "amount", "unit", "authority")
