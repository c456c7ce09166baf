from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("insights", "0004_refused_signals")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="probation",
            field=models.BooleanField(default=False, db_default=False, verbose_name="in probation"),
        ),
        migrations.RemoveIndex(model_name="event", name="event_time"),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                fields=["occurred_at"],
                include=["kind", "channel", "forum", "probation"],
                name="event_time",
            ),
        ),
    ]
