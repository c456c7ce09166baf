from django.db import migrations

from moderation.defaults import ensure_moderation_defaults
from moderation.permissions import staff_groups_grant


def defaults(apps, schema_editor):
    ensure_moderation_defaults(apps)
    staff_groups_grant(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("accounts", "0002_staff_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(defaults, migrations.RunPython.noop)]
