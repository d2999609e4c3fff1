from django.contrib import admin

from sector.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Attachment, BusinessDay, Category, Closure, Message, Priority, SupportRequest


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "active"]
    list_editable = ["order", "active"]


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "first_response_hours", "resolution_hours", "is_default", "active"]


@admin.register(BusinessDay)
class BusinessDayAdmin(admin.ModelAdmin):
    list_display = ["weekday", "opens", "closes"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["date", "reason"]
    date_hierarchy = "date"


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ["created_at", "author", "from_support", "internal", "body"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(SupportRequest)
class SupportRequestAdmin(ReadOnlyAdmin):
    """Read-only: statuses and conversations change through the support pages (services, audit log)."""

    list_display = ["id", "subject", "agency", "court", "status", "priority", "assignee", "created_at"]
    list_filter = ["status", "priority", "category"]
    search_fields = ["subject", "agency__name", "court__name"]
    list_select_related = ["agency", "court", "priority", "assignee"]
    show_full_result_count = False
    inlines = [MessageInline, AttachmentInline]
