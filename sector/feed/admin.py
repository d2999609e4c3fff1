from django.contrib import admin

from sector.core.admin import ReadOnlyAdmin

from .models import Batch, FeedCredential


@admin.register(FeedCredential)
class FeedCredentialAdmin(admin.ModelAdmin):
    """Read-only here: tokens are issued, scoped and revoked on the feed screens (the token is shown once there,
    and a scope change is audited there)."""

    list_display = ("system", "token_hint", "created_at", "revoked_at", "last_used_at")
    readonly_fields = (
        "system",
        "record_types",
        "all_agencies",
        "agencies",
        "token_hint",
        "created_at",
        "created_by_name",
        "revoked_at",
        "revoked_by_name",
        "last_used_at",
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ("batch_id", "system", "received_at", "record_count", "rejected_count")
    exclude = ("results",)
    readonly_fields = [
        f
        for f in (
            "system",
            "batch_id",
            "credential",
            "records_hash",
            "sent_at",
            "received_at",
            "record_count",
            "created_count",
            "updated_count",
            "unchanged_count",
            "rejected_count",
            "replays",
        )
    ]
