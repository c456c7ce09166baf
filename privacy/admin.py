from django.contrib import admin
from django.utils import timezone

from config.admin import ReadOnlyAdmin
from privacy import services
from privacy.models import ConsentPurpose, ConsentRecord, ConsentText


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
