from django.db import migrations

from insights.backfill import events_backfill
from insights.defaults import ensure_insights_defaults
from insights.permissions import insights_groups_grant


def defaults(apps, schema_editor):
    ensure_insights_defaults(apps)
    insights_groups_grant(apps)
    events_backfill(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0001_initial"),
        ("community", "0006_question_first_answer_at"),
        ("accounts", "0002_staff_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(defaults, migrations.RunPython.noop)]
