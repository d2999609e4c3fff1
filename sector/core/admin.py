import re
from typing import Any

from django.contrib import admin
from django.db import models, transaction

from .audit import log_action
from .models import AuditEntry

_URL_PASSWORD = re.compile(r"^([a-z][a-z0-9+.-]*://[^/:@]*):[^/@]*@", re.IGNORECASE)


class AuditedAdminMixin:
    """Admin changes to reference data the law or security depends on write audit entries with before/after.

    One mechanism for every such model (destinations and their secrets, second-level approval, the reporting
    threshold, filing deadlines, court closures, requirement profiles, agreement templates): put it before
    `admin.ModelAdmin` in the bases. Adding, changing and deleting (one row or the bulk action) each log
    `<app_label>.<model_name>.created|changed|deleted` with the changed fields as [before, after]. Secrets are
    masked by log_action (field names with password, token, secret...), the fields in `audit_masked_fields`
    too, and a password inside a URL ("https://user:pass@host") is cut out.
    """

    audit_masked_fields: tuple[str, ...] = ()

    def _audit_values(self, obj: models.Model) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for field in obj._meta.concrete_fields:
            if field.primary_key or getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
                continue
            value = getattr(obj, field.name) if field.is_relation else field.value_from_object(obj)
            if isinstance(value, models.Model):
                value = str(value)
            elif value is not None and not isinstance(value, (bool, int, float, str, list, dict)):
                value = str(value)  # dates, times, decimals: as the admin shows them
            if isinstance(value, str):
                value = _URL_PASSWORD.sub(r"\1:********@", value)
            if field.name in self.audit_masked_fields and value not in (None, ""):
                value = "********"
            values[field.name] = value
        return values

    def _audit(self, request, obj: models.Model, verb: str, before: dict[str, Any], after: dict[str, Any]) -> None:
        changes = {
            k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)
        }
        if verb == "changed" and not changes:
            return
        opts = obj._meta
        log_action(f"{opts.app_label}.{opts.model_name}.{verb}", obj=obj, actor=request.user, changes=changes,
                   data={"via": "admin"})  # fmt: skip

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before: dict[str, Any] = {}
            if change and obj.pk is not None:
                stored = type(obj)._default_manager.filter(pk=obj.pk).first()
                before = self._audit_values(stored) if stored is not None else {}
            super().save_model(request, obj, form, change)
            self._audit(request, obj, "changed" if before else "created", before, self._audit_values(obj))

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._audit(request, obj, "deleted", self._audit_values(obj), {})
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self._audit(request, obj, "deleted", self._audit_values(obj), {})
            super().delete_queryset(request, queryset)


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin page that only shows: the rows change through the portal's services, which check and log
    every change, so no one adds, edits or deletes them here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """A shown-only inline (list its `fields` as `readonly_fields` too): nothing is added or deleted from it."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the log is append-only, so no one adds, edits or deletes entries here."""

    list_display = ["at", "actor_name", "action", "content_type", "object_repr", "request_id"]
    list_filter = ["action", "content_type", ("at", admin.DateFieldListFilter)]
    search_fields = ["actor_name", "action", "object_repr", "object_id", "request_id"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    list_select_related = ["content_type"]
    show_full_result_count = False
