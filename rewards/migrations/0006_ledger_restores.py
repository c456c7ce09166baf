import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("rewards", "0005_ledgerentry_ledger_created")]

    operations = [
        migrations.AddField(
            model_name="ledgerentry",
            name="restores",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="restored_by",
                to="rewards.ledgerentry",
            ),
        ),
    ]
