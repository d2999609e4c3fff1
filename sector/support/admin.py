from django.contrib import admin

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


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    can_delete = False
    fields = ["created_at", "author", "from_support", "internal", "body"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    fields = ["original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin):
    """Read-only: statuses and conversations change through the support pages (services, audit log)."""

    list_display = ["id", "subject", "agency", "court", "status", "priority", "assignee", "created_at"]
    list_filter = ["status", "priority", "category"]
    search_fields = ["subject", "agency__name", "court__name"]
    list_select_related = ["agency", "court", "priority", "assignee"]
    show_full_result_count = False
    inlines = [MessageInline, AttachmentInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
