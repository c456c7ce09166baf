"""Trust levels: how far a member has come (age, visible posts, lifetime points), read
against the TrustLevelRule rows. A moderator's override wins; staff count as trusted."""

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from accounts import roles
from community.models import Answer, Comment, Question, Visibility
from moderation.defaults import ensure_moderation_defaults
from moderation.models import MemberStanding, TrustLevel, TrustLevelRule
from rewards.models import PointsAccount

RULES_KEY = "moderation:trust-rules"
RULES_SECONDS = 3600
# A level earned by activity moves slowly: it is worked out at most every few minutes.
EARNED_SECONDS = 300


def level_rules() -> dict[int, TrustLevelRule]:
    """The rules by level, cached until a community manager changes one."""
    rules = cache.get(RULES_KEY)
    if rules is None:
        if TrustLevelRule.objects.count() < len(TrustLevel):
            ensure_moderation_defaults(apps)
        rules = {rule.level: rule for rule in TrustLevelRule.objects.all()}
        cache.set(RULES_KEY, rules, RULES_SECONDS)
    return rules


@receiver([post_save, post_delete], sender=TrustLevelRule)
def _rules_changed(**kwargs) -> None:
    # After commit: a reader in between would cache the old rows again.
    transaction.on_commit(lambda: cache.delete(RULES_KEY))


def standing_of(user) -> MemberStanding:
    """The member's standing; an unsaved one in good standing when they have no row."""
    return MemberStanding.objects.filter(user=user).first() or MemberStanding(user=user)


def _visible_posts(user) -> int:
    """Questions, answers and comments of the member that are public (one query)."""
    posts = [
        model.objects.filter(author=user, visibility=Visibility.VISIBLE).values("pk")
        for model in (Question, Answer, Comment)
    ]
    return posts[0].union(*posts[1:], all=True).count()


def _earned_level(user) -> TrustLevel:
    key = f"moderation:trust-earned:{user.pk}"
    level = cache.get(key)
    if level is None:
        days = (timezone.now() - user.date_joined).days
        posts = _visible_posts(user)
        points = (
            PointsAccount.objects.filter(user=user)
            .values_list("lifetime_points", flat=True)
            .first()
        ) or 0
        level = max(
            (
                rule.level
                for rule in level_rules().values()
                if days >= rule.min_days and posts >= rule.min_posts and points >= rule.min_points
            ),
            default=TrustLevel.NEW,
        )
        cache.set(key, level, EARNED_SECONDS)
    return TrustLevel(level)


def trust_level(user, *, standing: MemberStanding | None = None) -> TrustLevel:
    """`standing` (from standing_of), when the caller has it, saves a query."""
    if not user.is_authenticated:
        return TrustLevel.NEW
    standing = standing or standing_of(user)
    if standing.trust_override is not None:
        return TrustLevel(standing.trust_override)
    if roles.is_staff_member(user):
        return TrustLevel.TRUSTED
    return _earned_level(user)


def rule_for(user, *, standing: MemberStanding | None = None) -> TrustLevelRule:
    return level_rules()[trust_level(user, standing=standing)]
