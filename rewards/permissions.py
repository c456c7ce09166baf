"""What the "Community managers" group may do with rewards in the admin.

Applied by a data migration with the historical models (`apps`), or with
django.apps.apps in tests whose database was flushed. Creates missing content types
and permissions itself: on a new database, Django only creates them after all
migrations have run."""

from accounts.roles import COMMUNITY_MANAGERS

COMMUNITY_MANAGERS_MAY = {
    "pointrule": ("view", "add", "change"),
    "economysettings": ("view", "change"),
    "rank": ("view", "add", "change", "delete"),
    "badge": ("view", "add", "change", "delete"),
    "memberbadge": ("view",),
    "pointsaccount": ("view",),
    "ledgerentry": ("view",),
}


def community_managers_grant(apps) -> None:
    """Idempotent: adds the permissions above to the group, never removes any."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _created = Group.objects.get_or_create(name=COMMUNITY_MANAGERS)
    for model_name, actions in COMMUNITY_MANAGERS_MAY.items():
        model = apps.get_model("rewards", model_name)
        content_type, _created = ContentType.objects.get_or_create(
            app_label="rewards", model=model_name
        )
        for action in actions:
            permission, _created = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model_name}",
                defaults={"name": f"Can {action} {model._meta.verbose_name_raw}"},
            )
            group.permissions.add(permission)
