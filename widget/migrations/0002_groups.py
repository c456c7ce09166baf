from django.db import migrations

from widget.permissions import widget_groups_grant


def grant(apps, schema_editor):
    widget_groups_grant(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("widget", "0001_initial"),
        ("accounts", "0002_staff_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
