"""Admin bases every app's admin builds on."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows that only services write (append-only history, posts with their
    rendering and counters): the admin shows them and never changes them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FixedRowsAdmin(admin.ModelAdmin):
    """Rows the data migration creates: changed, never added or deleted here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class SingletonSettingsAdmin(FixedRowsAdmin):
    """The one row of a core.models.SingletonSettings: the list goes straight to it."""

    def changelist_view(self, request: HttpRequest, extra_context=None):
        if not self.has_view_or_change_permission(request):
            return super().changelist_view(request, extra_context)
        opts = self.model._meta
        row = self.model.load()
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])
        return HttpResponseRedirect(url)
