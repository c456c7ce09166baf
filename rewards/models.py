"""Points are money: an append-only ledger, its cached balances, and what hangs off it.

A member's points live in a PointsAccount, not on the user row, so that erasing
the member keeps the bookkeeping (the account is pseudonymised, Art. 17(3)(b)).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import SingletonSettings


class Rule(models.TextChoices):
    ANSWER_ACCEPTED = "answer_accepted", _("Answer accepted")
    ACCEPTED_BY_ASKER = "accepted_by_asker", _("Accepted an answer to own question")
    KUDOS_RECEIVED = "kudos_received", _("Kudos received")
    SOLVED_TOO_RECEIVED = "solved_too_received", _("“Solved too” on your answer")
    FIRST_ANSWER_FAST = "first_answer_fast", _("First answer within an hour")


# Rules whose awards count towards the daily cap on points from votes.
VOTE_RULES = (Rule.KUDOS_RECEIVED, Rule.SOLVED_TOO_RECEIVED)


class PointRule(models.Model):
    """How many points an event earns; edited by community managers."""

    rule = models.CharField(_("rule"), max_length=32, choices=Rule.choices, unique=True)
    points = models.PositiveIntegerField(_("points"))
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["rule"]
        verbose_name = _("point rule")
        verbose_name_plural = _("point rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gte=0, points__lte=10_000), name="pointrule_points_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}: {self.points}"


class EconomySettings(SingletonSettings):
    """The one row of economy settings (pk=1), edited by community managers."""

    holding_days = models.PositiveIntegerField(
        _("holding period (days)"),
        default=14,
        help_text=_("Points become available for payout after this many days."),
    )
    probation_days = models.PositiveIntegerField(
        _("probation (days)"), default=7, help_text=_("New accounts earn no points before this.")
    )
    daily_vote_cap = models.PositiveIntegerField(_("daily cap on points from votes"), default=200)
    points_per_euro = models.PositiveIntegerField(
        _("points per euro"), default=100, help_text=_("100 points = EUR 1.00 by default.")
    )
    minimum_payout = models.PositiveIntegerField(_("minimum payout (points)"), default=500)
    monthly_cap = models.PositiveIntegerField(
        _("monthly payout cap per member (points)"), default=10_000
    )
    household_days = models.PositiveIntegerField(
        _("household signal retention (days)"),
        default=30,
        help_text=_("How long hashed network and device signals are kept."),
    )
    vote_ring_threshold = models.PositiveIntegerField(
        _("vote ring threshold"),
        default=5,
        help_text=_("Kudos both ways between two members within 30 days that hold their points."),
    )

    class Meta:
        verbose_name = _("economy settings")
        verbose_name_plural = _("economy settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="economysettings_single_row"),
            models.CheckConstraint(condition=Q(points_per_euro__gt=0), name="economy_rate_pos"),
            models.CheckConstraint(condition=Q(minimum_payout__gt=0), name="economy_minimum_pos"),
        ]

    def __str__(self) -> str:
        return str(_("Economy settings"))


class PointsAccount(models.Model):
    """A member's cached balance, locked with select_for_update whenever an entry is added.

    Invariants (manage.py check_ledger): balance is the sum of the account's entries;
    lifetime_points is the sum of its earning entries (awards, bounties won, their reversals).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="points_account",
    )
    # Set when the member is erased: the account stays for bookkeeping, unlinked.
    pseudonym = models.CharField(max_length=40, blank=True, default="")
    balance = models.BigIntegerField(default=0)
    lifetime_points = models.BigIntegerField(default=0)
    # Milestone counters for badges, net of reversals.
    accepted_count = models.IntegerField(default=0)
    kudos_count = models.IntegerField(default=0)
    solved_too_count = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("points account")
        verbose_name_plural = _("points accounts")
        indexes = [models.Index(fields=["-lifetime_points"], name="pointsaccount_lifetime")]

    def __str__(self) -> str:
        return self.pseudonym or f"account of member {self.user_id}"


class EntryKind(models.TextChoices):
    AWARD = "award", _("Award")
    REVERSAL = "reversal", _("Reversal")
    SETTLEMENT = "settlement", _("Payout")
    SETTLEMENT_CANCEL = "settlement_cancel", _("Payout cancelled")
    BOUNTY_STAKE = "bounty_stake", _("Bounty offered")
    BOUNTY_WON = "bounty_won", _("Bounty won")
    BOUNTY_REFUND = "bounty_refund", _("Bounty returned")


# Entries that count as earned points (lifetime points, ranks, leaderboards).
EARNING_KINDS: tuple[str, ...] = (EntryKind.AWARD, EntryKind.BOUNTY_WON)


class LedgerEntry(models.Model):
    """One movement of points. Never updated or deleted: a mistake is corrected by a reversal.

    An entry counts towards the available (payable) balance once `available_at` has
    passed and no open fraud hold is on it. A reversal inherits the reversed entry's
    `available_at`, so undoing held points never makes the available balance negative,
    while undoing points already paid out is carried as a negative balance.
    """

    account = models.ForeignKey(PointsAccount, on_delete=models.PROTECT, related_name="entries")
    amount = models.BigIntegerField()
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    rule = models.CharField(max_length=32, choices=Rule.choices, blank=True, default="")
    # Derived from the business event ("kudos:<vote id>"); the unique index makes retries harmless.
    key = models.CharField(max_length=120, unique=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    # A credit given back once the decision behind a reversal was overturned: that reversal.
    restores = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="restored_by"
    )
    available_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    # What caused it, for the member's statement and the leaderboards per forum.
    forum = models.ForeignKey(
        "community.Forum", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    question = models.ForeignKey(
        "community.Question", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer = models.ForeignKey(
        "community.Answer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    settlement = models.ForeignKey(
        "Settlement", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    bounty = models.ForeignKey(
        "Bounty", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    note = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledgerentry_amount_nonzero"),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False)
                | ~Q(kind="reversal") & Q(reverses__isnull=True),
                name="ledgerentry_reversal_has_original",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-created_at"], name="ledger_account_newest"),
            models.Index(fields=["account", "available_at"], name="ledger_account_available"),
            models.Index(fields=["account", "kind", "created_at"], name="ledger_account_kind"),
            # The points credited of a period (insights): an index-only scan.
            models.Index(
                fields=["created_at"],
                include=["kind", "amount", "forum", "reverses"],
                name="ledger_created",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount:+d} {self.kind} ({self.key})"


class FraudHold(models.Model):
    """Keeps an award out of the available balance until staff release or reverse it.

    A workflow row about an entry, not part of the ledger: the entry itself never changes.
    """

    class Reason(models.TextChoices):
        HOUSEHOLD = "household", _("Same network and device as the other member")
        VOTE_RING = "vote_ring", _("Kudos going back and forth between two members")

    class State(models.TextChoices):
        OPEN = "open", _("Awaiting review")
        RELEASED = "released", _("Released")
        REVERSED = "reversed", _("Reversed")

    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="hold")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    # The other member of the suspicious pair (the voter, the asker...).
    counterpart = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("fraud hold")
        verbose_name_plural = _("fraud holds")
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(state="open"), name="fraudhold_open_queue"
            )
        ]

    def __str__(self) -> str:
        return f"hold on entry {self.entry_id} ({self.state})"


class HouseholdSignal(models.Model):
    """A salted hash of a member's network or device, kept for a short time to spot
    a second account answering the first's questions. Never the address itself."""

    class Kind(models.TextChoices):
        NETWORK = "network", _("Network")
        DEVICE = "device", _("Device")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    digest = models.CharField(max_length=64)
    last_seen = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "digest"], name="household_once")
        ]
        indexes = [
            models.Index(fields=["kind", "digest"], name="household_digest"),
            models.Index(fields=["last_seen"], name="household_last_seen"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} signal of {self.user_id}"


class Bounty(models.Model):
    """Points an asker puts on their question; they go to the accepted answer, or back."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        AWARDED = "awarded", _("Awarded")
        REFUNDED = "refunded", _("Returned")

    question = models.ForeignKey(
        "community.Question", on_delete=models.SET_NULL, null=True, related_name="bounties"
    )
    account = models.ForeignKey(PointsAccount, on_delete=models.PROTECT, related_name="bounties")
    points = models.PositiveIntegerField()
    deadline = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bounty")
        verbose_name_plural = _("bounties")
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="bounty_points_positive"),
            models.UniqueConstraint(
                fields=["question"], condition=Q(state="open"), name="bounty_one_open"
            ),
        ]
        indexes = [
            models.Index(fields=["deadline"], condition=Q(state="open"), name="bounty_due"),
        ]

    def __str__(self) -> str:
        return f"bounty of {self.points} on {self.question_id}"


class Rank(models.Model):
    """A title by lifetime points, e.g. Newcomer 0, Helper 100, Expert 1000, Legend 10000."""

    name_en = models.CharField(_("name (English)"), max_length=40)
    name_de = models.CharField(_("name (German)"), max_length=40)
    threshold = models.PositiveIntegerField(_("from lifetime points"), unique=True)

    class Meta:
        ordering = ["threshold"]
        verbose_name = _("rank")
        verbose_name_plural = _("ranks")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_de if (get_language() or "")[:2] == "de" else self.name_en


class Badge(models.Model):
    """A milestone: `metric` reaches `threshold`."""

    class Metric(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted answers")
        KUDOS = "kudos", _("Kudos received")
        SOLVED_TOO = "solved_too", _("“Solved too” marks received")
        LIFETIME = "lifetime", _("Lifetime points")

    slug = models.SlugField(unique=True)
    name_en = models.CharField(_("name (English)"), max_length=60)
    name_de = models.CharField(_("name (German)"), max_length=60)
    metric = models.CharField(_("metric"), max_length=12, choices=Metric.choices)
    threshold = models.PositiveIntegerField(_("threshold"))

    class Meta:
        ordering = ["metric", "threshold"]
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        constraints = [
            models.CheckConstraint(condition=Q(threshold__gt=0), name="badge_threshold_positive"),
            models.UniqueConstraint(fields=["metric", "threshold"], name="badge_once_per_step"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_de if (get_language() or "")[:2] == "de" else self.name_en


class MemberBadge(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="+")
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "badge"], name="memberbadge_once"),
        ]

    def __str__(self) -> str:
        return f"{self.badge_id} for {self.user_id}"


class PointsTally(models.Model):
    """Points earned per member, scope and period, kept in step with the ledger in the
    same transaction, so leaderboards are an index scan, never a sum over the ledger.

    scope 0 is the whole community, otherwise a forum id; period is "all" or "YYYY-MM".
    """

    ALL_TIME = "all"
    OVERALL = 0

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.PositiveIntegerField()
    period = models.CharField(max_length=7)
    points = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "scope", "period"], name="tally_once"),
        ]
        indexes = [
            models.Index(fields=["scope", "period", "-points"], name="tally_leaderboard"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.scope}/{self.period}: {self.points}"


class SettlementRun(models.Model):
    """One execution of the settlement; `key` (the day) makes re-running it harmless."""

    key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    settlement_count = models.PositiveIntegerField(default=0)
    points_total = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return self.key


class Settlement(models.Model):
    """Points converted to a bill credit for one member's verified customer account."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent, awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    run = models.ForeignKey(SettlementRun, on_delete=models.PROTECT, related_name="settlements")
    account = models.ForeignKey(PointsAccount, on_delete=models.PROTECT, related_name="settlements")
    # Snapshot of the verified number at settlement time; pseudonymised on erasure.
    customer_number = models.CharField(max_length=64)
    points = models.PositiveIntegerField()
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="EUR")
    # Sent to the gateway: the billing system applies a key once.
    key = models.CharField(max_length=120, unique=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True, default="")
    gateway_reference = models.CharField(max_length=120, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gt=0, amount_cents__gt=0), name="settlement_positive"
            ),
            models.UniqueConstraint(fields=["run", "account"], name="settlement_once_per_run"),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="settlement_due"),
            models.Index(fields=["account", "-created_at"], name="settlement_account"),
            models.Index(fields=["created_at"], name="settlement_created"),
        ]

    def __str__(self) -> str:
        return self.key
