from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from privacy import services
from privacy.models import (
    ConsentPurpose,
    ConsentRecord,
    ConsentText,
    PrivacyRequest,
    PrivacyRequestEvent,
)


@admin.register(ConsentPurpose)
class ConsentPurposeAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "required", "position"]
    list_editable = ["position"]
    search_fields = ["key", "name"]

    def has_delete_permission(self, request, obj=None):
        # Records point at purposes; a purpose no longer used is left without new texts.
        return False


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    """Publishing a new version is adding a text: its version number is the next one.
    A published text is proof of what members accepted, so it can no longer be changed."""

    list_display = ["purpose", "version", "published_at"]
    list_filter = ["purpose"]
    list_select_related = ["purpose"]
    fields = ["purpose", "version", "text", "text_de", "published_at"]
    readonly_fields = ["version"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.published_at <= timezone.now():
            return self.fields
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        published = services.consent_text_publish(
            purpose=obj.purpose,
            text=obj.text,
            text_de=obj.text_de,
            published_at=obj.published_at,
        )
        obj.pk, obj.version = published.pk, published.version


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    """Append-only history: shown, never added, changed or deleted here."""

    list_display = ["created_at", "user", "purpose", "version", "granted", "method"]
    list_filter = ["purpose", "granted", "method"]
    list_select_related = ["user", "purpose"]
    search_fields = ["user__email", "user__display_name"]
    date_hierarchy = "created_at"


class PrivacyRequestEventInline(admin.TabularInline):
    model = PrivacyRequestEvent
    fields = ["at", "state", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(ReadOnlyAdmin):
    """The privacy-request log: every export and erasure with its legal deadline;
    open requests past their deadline stand out."""

    list_display = ["requested_at", "kind", "subject", "state", "due_at", "deadline"]
    list_filter = ["kind", "state"]
    search_fields = ["subject"]
    date_hierarchy = "requested_at"
    ordering = ["due_at"]
    inlines = [PrivacyRequestEventInline]

    @admin.display(description=_("deadline"))
    def deadline(self, obj: PrivacyRequest) -> str:
        open_states = {PrivacyRequest.State.QUEUED, PrivacyRequest.State.BUILDING,
                       PrivacyRequest.State.SCHEDULED}  # fmt: skip
        if obj.state in open_states and obj.due_at < timezone.now():
            return format_html('<strong class="errornote">{}</strong>', _("OVERDUE"))
        return _("open") if obj.state in open_states else _("closed")
