from django.contrib import admin

from widget.models import AllowedOrigin
from widget.origins import origins_changed


@admin.register(AllowedOrigin)
class AllowedOriginAdmin(admin.ModelAdmin):
    """The sites whose pages may read the widget's answers (docs/widget.md). A change
    holds at once: the cached list is forgotten."""

    list_display = ["origin", "note", "created_at"]
    search_fields = ["origin", "note"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        origins_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        origins_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        origins_changed()
