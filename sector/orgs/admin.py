from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from sector.core.exports import AuditedExportMixin

from .models import Agency, Court, Person, ProgramContact
from .resources import AgencyResource, CourtResource, PersonResource


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0
    fields = ["last_name", "first_name", "personnel_number", "email", "kind", "active", "user"]
    autocomplete_fields = ["user"]
    show_change_link = True


@admin.register(Agency)
class AgencyAdmin(AuditedExportMixin, ImportExportModelAdmin):
    resource_classes = [AgencyResource]
    list_display = ["ori", "name", "county", "kind", "records_system", "active"]
    list_filter = ["kind", "records_system", "active", "county"]
    search_fields = ["ori", "name"]
    ordering = ["name"]
    inlines = [PersonInline]
    show_full_result_count = False


@admin.register(Court)
class CourtAdmin(AuditedExportMixin, ImportExportModelAdmin):
    resource_classes = [CourtResource]
    list_display = ["code", "name", "county", "kind", "accepts_etickets"]
    list_filter = ["kind", "accepts_etickets", "county"]
    search_fields = ["code", "name"]
    ordering = ["name"]
    inlines = [PersonInline]
    show_full_result_count = False


@admin.register(Person)
class PersonAdmin(AuditedExportMixin, ImportExportModelAdmin):
    resource_classes = [PersonResource]
    list_display = ["last_name", "first_name", "personnel_number", "kind", "agency", "court", "active", "user"]
    list_filter = ["kind", "active", "agency", "court"]
    search_fields = ["last_name", "first_name", "personnel_number", "email", "agency__ori", "court__code"]
    autocomplete_fields = ["agency", "court", "user"]
    list_select_related = ["agency", "court", "user"]
    show_full_result_count = False


@admin.register(ProgramContact)
class ProgramContactAdmin(admin.ModelAdmin):
    list_display = ["role", "name", "organisation", "phone", "email", "order"]
    list_editable = ["order"]
