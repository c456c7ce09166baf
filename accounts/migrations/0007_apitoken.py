import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Personal access tokens replace rest_framework.authtoken's one key per member, which
    was stored in plain text and given for a password alone: those keys stop working and
    their table is dropped."""

    dependencies = [("accounts", "0006_user_email_lower_case")]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=60, verbose_name="name")),
                ("prefix", models.CharField(max_length=12, verbose_name="key starts with")),
                ("key_hash", models.CharField(max_length=64, unique=True)),
                ("scopes", models.JSONField(default=list, verbose_name="scopes")),
                (
                    "second_factor",
                    models.BooleanField(
                        default=False,
                        help_text="Staff tokens work only if the second factor was proven when they were made.",
                        verbose_name="created with a second factor",
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="created at")),
                ("expires_at", models.DateTimeField(verbose_name="expires at")),
                ("last_used_at", models.DateTimeField(blank=True, null=True, verbose_name="last used")),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revoked at")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_tokens",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "API token",
                "verbose_name_plural": "API tokens",
                "indexes": [models.Index(fields=["user", "-created_at"], name="apitoken_user_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("expires_at__gt", models.F("created_at"))),
                        name="apitoken_expires_after_creation",
                    )
                ],
            },
        ),
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
    ]
