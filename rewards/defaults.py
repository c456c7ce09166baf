"""The defaults of DESIGN.md's points economy; community managers change them in the admin."""

RULES = {
    "answer_accepted": 50,
    "accepted_by_asker": 5,
    "kudos_received": 10,
    "solved_too_received": 2,
    "first_answer_fast": 5,
}
RANKS = [
    (0, "Newcomer", "Neuling"),
    (100, "Helper", "Helfer"),
    (1000, "Expert", "Experte"),
    (10000, "Legend", "Legende"),
]
BADGES = [
    ("first-solution", "accepted", 1, "First solution", "Erste Lösung"),
    ("ten-solutions", "accepted", 10, "10 solutions", "10 Lösungen"),
    ("hundred-solutions", "accepted", 100, "100 solutions", "100 Lösungen"),
    ("ten-kudos", "kudos", 10, "10 kudos", "10 Kudos"),
    ("hundred-kudos", "kudos", 100, "100 kudos", "100 Kudos"),
    ("helped-many", "solved_too", 25, "Helped 25 more", "25 weiteren geholfen"),
    ("thousand-points", "lifetime", 1000, "1,000 points", "1.000 Punkte"),
]


def ensure_economy_defaults(apps) -> None:
    """`apps` is a migration's app registry or django.apps.apps (tests that flush tables)."""
    PointRule = apps.get_model("rewards", "PointRule")
    Rank = apps.get_model("rewards", "Rank")
    Badge = apps.get_model("rewards", "Badge")
    EconomySettings = apps.get_model("rewards", "EconomySettings")
    EconomySettings.objects.get_or_create(pk=1)
    for rule, points in RULES.items():
        PointRule.objects.get_or_create(rule=rule, defaults={"points": points})
    for threshold, en, de in RANKS:
        Rank.objects.get_or_create(threshold=threshold, defaults={"name_en": en, "name_de": de})
    for slug, metric, threshold, en, de in BADGES:
        Badge.objects.get_or_create(
            slug=slug,
            defaults={"metric": metric, "threshold": threshold, "name_en": en, "name_de": de},
        )
