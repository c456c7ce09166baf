from django.db import migrations

from rewards.defaults import ensure_economy_defaults


def create_defaults(apps, schema_editor):
    ensure_economy_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("rewards", "0001_ledger")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
