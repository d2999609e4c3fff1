from django.contrib import admin

import sector.feed.outbox_admin  # noqa: F401 - registers the outbox's destinations and deliveries
from sector.core.admin import AuditedAdminMixin

from .models import AgencyReviewSetting, ReportingThreshold


@admin.register(ReportingThreshold)
class ReportingThresholdAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("amount", "effective_from", "source")


@admin.register(AgencyReviewSetting)
class AgencyReviewSettingAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("agency", "second_level_approval")
    autocomplete_fields = ("agency",)
