"""Admin for moderation: what community managers tune (watched words, trust levels, the
settings row), and read-only views of the rest. Flags, cases, standings and the audit
log change only through the moderation services, which audit every change; the staff
pages (/staff/moderation/) are where moderators act.

Access is by Django model permissions (moderation.permissions)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import FixedRowsAdmin, ReadOnlyAdmin, SingletonSettingsAdmin
from moderation.models import (
    Appeal,
    Case,
    Flag,
    MemberStanding,
    ModerationAction,
    ModerationSettings,
    TrustLevelRule,
    WatchedWord,
)

_MEMBER_SEARCH = ["user__email", "user__display_name"]


@admin.register(WatchedWord)
class WatchedWordAdmin(admin.ModelAdmin):
    list_display = ["word", "action", "replacement", "created_at"]
    list_filter = ["action"]
    search_fields = ["word", "replacement"]
    fields = ["word", "action", "replacement"]


@admin.register(TrustLevelRule)
class TrustLevelRuleAdmin(FixedRowsAdmin):
    """The four levels are tuned, never added or removed."""

    list_display = [
        "__str__",
        "min_days",
        "min_posts",
        "min_points",
        "posts_per_hour",
        "flags_per_day",
        "votes_per_day",
        "flag_weight",
    ]
    readonly_fields = ["level"]


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(SingletonSettingsAdmin):
    """The one row: the list goes straight to it."""


@admin.register(MemberStanding)
class MemberStandingAdmin(ReadOnlyAdmin):
    list_display = ["user", "warnings", "suspended_until", "banned_at", "trust_override", "history"]
    list_filter = ["trust_override"]
    list_select_related = ["user"]
    search_fields = _MEMBER_SEARCH

    @admin.display(description=_("history and sanctions"))
    def history(self, standing: MemberStanding) -> str:
        url = reverse("moderation_log:member", args=[standing.user_id])
        return format_html('<a href="{}">{}</a>', url, _("open"))


_TARGETS = ["question", "answer", "comment", "profile"]


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "actor", "member", "reason"]
    list_filter = ["kind"]
    list_select_related = ["actor", "member"]
    search_fields = ["member__email", "member__display_name", "actor__display_name"]
    date_hierarchy = "created_at"
    raw_id_fields = [*_TARGETS, "actor", "member", "case"]
    # The log only grows: no COUNT(*) over all of it on every page.
    show_full_result_count = False
    ordering = ["-created_at", "-pk"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "source", "state", "priority", "weight", "opened_at", "claimed_by"]
    list_filter = ["state", "source"]
    list_select_related = ["claimed_by"]
    raw_id_fields = [*_TARGETS, "claimed_by", "appeal"]
    ordering = ["-opened_at"]


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "reason", "flagger", "weight", "case"]
    list_filter = ["reason"]
    list_select_related = ["flagger", "case"]
    raw_id_fields = [*_TARGETS, "flagger", "case"]
    ordering = ["-created_at"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "appellant", "state", "created_at", "decided_by", "decided_at"]
    list_filter = ["state"]
    list_select_related = ["appellant", "decided_by"]
    raw_id_fields = ["action", "appellant", "decided_by"]
    ordering = ["-created_at"]
