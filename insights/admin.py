"""Admin for insights: the costs per contact and the settings row, which support leads
and community managers tune (also on /staff/insights/costs/), and read-only views of
the deflection events and contact requests, which only insights.events and the contact
page write.

Access is by Django model permissions (insights.permissions). Events never show who
marked or visited: the member and the visitor hash stay out of the admin too."""

from django.contrib import admin

from core.admin import FixedRowsAdmin, ReadOnlyAdmin, SingletonSettingsAdmin
from insights.models import ChannelCost, ContactRequest, Event, InsightsSettings


@admin.register(ChannelCost)
class ChannelCostAdmin(FixedRowsAdmin):
    """One row per channel, made by the data migration: costs change, channels do not."""

    list_display = ["channel", "cost", "updated_at"]
    list_editable = ["cost"]
    readonly_fields = ["channel"]
    fields = ["channel", "cost"]


@admin.register(InsightsSettings)
class InsightsSettingsAdmin(SingletonSettingsAdmin):
    """The one row: the list goes straight to it."""

    fields = ["community_channel"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "kind", "forum", "question", "channel"]
    list_filter = ["kind", "channel"]
    list_select_related = ["forum", "question"]
    fields = ["kind", "key", "occurred_at", "forum", "question", "answer", "channel"]
    raw_id_fields = ["forum", "question", "answer"]
    date_hierarchy = "occurred_at"
    # A year of events: no COUNT(*) over all of them on every page.
    show_full_result_count = False
    ordering = ["-occurred_at", "-pk"]


@admin.register(ContactRequest)
class ContactRequestAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "subject", "forum", "state", "attempts", "forwarded_at"]
    list_filter = ["state"]
    list_select_related = ["forum"]
    search_fields = ["subject", "email"]
    raw_id_fields = ["user", "forum"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
