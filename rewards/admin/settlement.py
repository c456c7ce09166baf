"""Admin for rewards: settlement. Read-only: settlements change only through
rewards.settlement.services (staff retry or cancel them on /staff/settlements/)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from rewards.models import Settlement, SettlementRun


@admin.register(SettlementRun)
class SettlementRunAdmin(ReadOnlyAdmin):
    list_display = ("key", "started_at", "finished_at", "settlement_count", "points_total")
    search_fields = ("key",)
    date_hierarchy = "started_at"


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin):
    list_display = (
        "key",
        "customer_number",
        "points",
        "amount_cents",
        "state",
        "attempts",
        "next_attempt_at",
        "created_at",
    )
    list_filter = ("state",)
    search_fields = ("key", "customer_number", "gateway_reference")
    date_hierarchy = "created_at"
