"""Admin for outbound destinations (data, not code) and a read-only view of deliveries.

Imported by collisions/admin.py so it registers with the admin site without touching the feed's own admin.
"""

from django import forms
from django.contrib import admin

from sector.core.admin import AuditedAdminMixin

from .outbox_models import Delivery, Destination


class DestinationForm(forms.ModelForm):
    url = forms.URLField(required=False, max_length=500, assume_scheme="https", label="URL")
    auth_secret = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="The auth header's value. Leave empty to keep the stored secret; it is never shown again.",
    )

    class Meta:
        model = Destination
        fields = [
            "code",
            "name",
            "record_type",
            "format",
            "kind",
            "url",
            "auth_header",
            "auth_secret",
            "folder",
            "active",
            "timeout_seconds",
            "max_attempts",
        ]

    def clean_auth_secret(self):
        value = self.cleaned_data.get("auth_secret")
        if not value and self.instance.pk:
            return Destination.objects.get(pk=self.instance.pk).auth_secret
        return value


@admin.register(Destination)
class DestinationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = DestinationForm
    list_display = ("code", "name", "kind", "url", "folder", "active", "max_attempts")
    list_filter = ("kind", "active")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("label", "destination", "status", "attempts", "created_at", "delivered_at")
    list_filter = ("status", "destination")
    search_fields = ("idempotency_key", "label")
    exclude = ("payload",)
    readonly_fields = [f.name for f in Delivery._meta.fields if f.name != "payload"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
