"""Grants model permissions to the staff groups from data migrations.

Works with the historical models (`apps`), or with django.apps.apps in tests whose
database was flushed. Creates missing content types and permissions itself: on a new
database, Django only creates them after all migrations have run."""

from accounts import roles


def group_grant(apps, *, group_name: str, app_label: str, may: dict[str, tuple[str, ...]]) -> None:
    """Idempotent: adds `may` ({model name: (action, ...)}) to the group, never removes any.
    An action names the permission `<action>_<model name>`, custom ones included."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _created = Group.objects.get_or_create(name=group_name)
    for model_name, actions in may.items():
        model = apps.get_model(app_label, model_name)
        content_type, _created = ContentType.objects.get_or_create(
            app_label=app_label, model=model_name
        )
        for action in actions:
            permission, _created = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model_name}",
                defaults={"name": f"Can {action} {model._meta.verbose_name_raw}"},
            )
            group.permissions.add(permission)


def customer_link_issues_grant(apps) -> None:
    """Support leads and community managers see the customer numbers an identity provider
    sent that were not linked (and resolve them in the admin). Idempotent."""
    for group_name in (roles.SUPPORT_LEADS, roles.COMMUNITY_MANAGERS):
        group_grant(
            apps, group_name=group_name, app_label="accounts", may={"customerlinkissue": ("view",)}
        )
