"""Admin for rewards: the economy (point rules, settings, ranks, badges) that community
managers tune, and read-only views of balances, the ledger and earned badges.

Access is by Django model permissions: superusers, and the "Community managers" group
with the permissions of rewards.permissions.COMMUNITY_MANAGERS."""

from django.contrib import admin
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, SingletonSettingsAdmin
from rewards import selectors
from rewards.models import (
    Badge,
    EconomySettings,
    LedgerEntry,
    MemberBadge,
    PointRule,
    PointsAccount,
    Rank,
)

POINTS_MAX = 10_000


def _whole_number(*, minimum: int, maximum: int | None = None) -> dict:
    """Form field options with one clear message for every way a number can be wrong."""
    if maximum is None:
        message = _("Enter a whole number of at least %(minimum)d.") % {"minimum": minimum}
    else:
        message = _("Enter a whole number from %(minimum)d to %(maximum)d.") % {
            "minimum": minimum,
            "maximum": maximum,
        }
    errors = {"invalid": message, "min_value": message, "max_value": message}
    return {"min_value": minimum, "max_value": maximum, "error_messages": errors}


@admin.register(PointRule)
class PointRuleAdmin(admin.ModelAdmin):
    list_display = ["rule", "points", "active", "updated_at"]
    list_editable = ["points", "active"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Used by the change form and by the changelist's editable rows alike.
        if db_field.name == "points":
            kwargs |= _whole_number(minimum=0, maximum=POINTS_MAX)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(EconomySettings)
class EconomySettingsAdmin(SingletonSettingsAdmin):
    """The one row: no list, no adding, no deleting."""

    fieldsets = [
        (_("Earning"), {"fields": ["holding_days", "probation_days", "daily_vote_cap"]}),
        (_("Payout"), {"fields": ["points_per_euro", "minimum_payout", "monthly_cap"]}),
        (_("Abuse"), {"fields": ["household_days", "vote_ring_threshold"]}),
    ]
    # Zero would divide by zero, or pay out nothing at all.
    _POSITIVE = {"points_per_euro", "minimum_payout"}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.PositiveIntegerField):
            kwargs |= _whole_number(minimum=1 if db_field.name in self._POSITIVE else 0)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Rank)
class RankAdmin(admin.ModelAdmin):
    """Clears the cached rank list (rewards.selectors.ranks) once a change is committed."""

    list_display = ["name_en", "name_de", "threshold"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(selectors.ranks_forget)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(selectors.ranks_forget)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(selectors.ranks_forget)


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_en", "name_de", "metric", "threshold"]
    list_filter = ["metric"]
    prepopulated_fields = {"slug": ["name_en"]}


_MEMBER_SEARCH = ["user__email", "user__display_name"]


@admin.register(MemberBadge)
class MemberBadgeAdmin(ReadOnlyAdmin):
    list_display = ["badge", "user", "awarded_at"]
    list_filter = ["badge"]
    list_select_related = ["badge", "user"]
    search_fields = _MEMBER_SEARCH


@admin.register(PointsAccount)
class PointsAccountAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "user", "balance", "lifetime_points", "updated_at"]
    list_select_related = ["user"]
    search_fields = [*_MEMBER_SEARCH, "pseudonym"]
    show_full_result_count = False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "account__user", "kind", "rule", "amount", "available_at", "key"]
    list_filter = ["kind", "rule"]
    list_select_related = ["account__user"]
    search_fields = [f"account__{field}" for field in _MEMBER_SEARCH] + ["account__pseudonym"]
    # The ledger only grows: no COUNT(*) over all of it on every page.
    show_full_result_count = False
    ordering = ["-created_at", "-pk"]
