from django.contrib import admin

from billing.models import LocalCredit, LocalMessage
from core.admin import ReadOnlyAdmin


@admin.register(LocalCredit)
class LocalCreditAdmin(ReadOnlyAdmin):
    list_display = ("key", "customer_number", "amount_cents", "currency", "reference", "created_at")
    search_fields = ("customer_number", "key")
    date_hierarchy = "created_at"


@admin.register(LocalMessage)
class LocalMessageAdmin(ReadOnlyAdmin):
    list_display = ("customer_number", "code", "language", "created_at")
    search_fields = ("customer_number",)
    date_hierarchy = "created_at"
