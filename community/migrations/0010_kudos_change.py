from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Kudos given are recorded beside kudos taken back, so that the daily limit counts a
    give-and-take-back cycle as the two actions it is."""

    dependencies = [
        ("community", "0009_vote_withdrawal"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="VoteWithdrawal", new_name="KudosChange"),
        migrations.RenameIndex(
            model_name="kudoschange", new_name="kudoschange_user", old_name="votewithdrawal_user"
        ),
        migrations.AddField(
            model_name="kudoschange",
            name="withdrawn",
            field=models.BooleanField(default=False),
        ),
    ]
