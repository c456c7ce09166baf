"""Default trust levels and settings, for the data migration and for tests whose
database was flushed. Creates what is missing and never changes existing rows."""

TRUST_LEVELS = [
    # level, min days, min visible posts, min lifetime points, posts/hour, flags/day,
    # kudos/day, flag weight
    (0, 0, 0, 0, 5, 5, 20, 1),
    (1, 7, 3, 0, 20, 20, 100, 2),
    (2, 30, 20, 100, 40, 40, 300, 3),
    (3, 90, 50, 500, 60, 60, 500, 4),
]
FIELDS = (
    "min_days",
    "min_posts",
    "min_points",
    "posts_per_hour",
    "flags_per_day",
    "votes_per_day",
    "flag_weight",
)


def ensure_moderation_defaults(apps) -> None:
    TrustLevelRule = apps.get_model("moderation", "TrustLevelRule")
    ModerationSettings = apps.get_model("moderation", "ModerationSettings")
    for level, *values in TRUST_LEVELS:
        TrustLevelRule.objects.get_or_create(
            level=level, defaults=dict(zip(FIELDS, values, strict=True))
        )
    ModerationSettings.objects.get_or_create(pk=1)
