from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows that only services write (append-only history, posts with their
    rendering and counters): the admin shows them and never changes them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
