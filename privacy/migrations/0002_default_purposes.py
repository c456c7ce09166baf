from django.db import migrations

from privacy.defaults import ensure_default_purposes


def create_defaults(apps, schema_editor):
    ensure_default_purposes(
        apps.get_model("privacy", "ConsentPurpose"), apps.get_model("privacy", "ConsentText")
    )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
