from django.contrib import admin, messages
from django.utils.html import format_html_join

from sector.core.admin import AuditedAdminMixin, ReadOnlyAdmin, ReadOnlyInline

from .models import (
    AgencyOnboarding,
    AgreementTemplate,
    ChecklistStep,
    Evaluation,
    OnboardingStep,
    RequirementProfile,
    Survey,
)


@admin.register(ChecklistStep)
class ChecklistStepAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "responsible", "completed_by_roles", "target_days", "required_for_go_live"]
    ordering = ["number"]


class OnboardingStepInline(ReadOnlyInline):
    model = OnboardingStep
    fields = ["step", "status", "due_on", "completed_at", "completed_by_name", "note", "evidence_text"]
    readonly_fields = fields


@admin.register(AgencyOnboarding)
class AgencyOnboardingAdmin(admin.ModelAdmin):
    """Read-mostly: steps change through the portal's services so every change is checked and logged."""

    list_display = ["agency_name", "stage", "started_at", "live_at", "required_trained_officers"]
    list_filter = ["stage"]
    search_fields = ["agency_name", "agency__ori"]
    readonly_fields = ["agency", "stage", "started_at", "started_by", "live_at", "live_by"]
    fields = [*readonly_fields, "required_trained_officers"]
    inlines = [OnboardingStepInline]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Versioned agreement text WSP maintains; prepared agreements copy it, so an edit never changes one."""

    list_display = ["kind", "version", "title", "effective_from", "term_months"]
    list_filter = ["kind"]
    readonly_fields = ["created_at"]


@admin.register(RequirementProfile)
class RequirementProfileAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Reference data WSP maintains. Suspicious figures are flagged on the list and the form, never corrected."""

    list_display = ["version", "name", "effective_from", "cpu_min_ghz", "cpu_preferred_ghz", "flags"]
    readonly_fields = ["figures_to_check", "created_at"]
    fieldsets = [
        (None, {"fields": ["version", "name", "effective_from", "figures_to_check"]}),
        ("Officer computer", {"fields": ["compatible_os", ("cpu_min_ghz", "cpu_preferred_ghz"),
                                         ("ram_min_gb", "ram_preferred_gb"), ("disk_min_gb", "disk_preferred_gb")]}),
        ("Equipment and components", {"fields": ["required_equipment", "recommended_equipment", "client_installs"]}),
        ("Source", {"fields": ["source", "created_at"]}),
    ]  # fmt: skip

    @admin.display(description="Figures to check")
    def figures_to_check(self, obj):
        warnings = obj.warnings() if obj and obj.pk else []
        if not warnings:
            return "None"
        return format_html_join("", '<p class="errornote">⚠ {}</p>', ((w,) for w in warnings))

    @admin.display(description="Flags")
    def flags(self, obj):
        n = len(obj.warnings())
        return f"⚠ {n} figure(s) to check" if n else ""

    def get_readonly_fields(self, request, obj=None):
        # A version that evaluations used is history: publish a new version instead of rewriting it.
        if obj is not None and obj.pk and obj.evaluations.exists():
            return [f.name for f in obj._meta.fields] + ["figures_to_check"]
        return self.readonly_fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET":
            for warning in obj.warnings():
                messages.warning(request, warning)
            if obj.evaluations.exists():
                messages.info(request, "Evaluations used this version, so it is read-only. Add a new version.")
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ["onboarding", "status", "submitted_at"]
    list_filter = ["status"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["survey", "profile_version", "overall", "created_at"]
