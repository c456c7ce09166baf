"""Email addresses become case-insensitive: existing ones are lower-cased (the members'
and allauth's EmailAddress rows), then the database keeps them so.

Two accounts whose addresses differ only by case cannot both keep theirs: the migration
stops and names them, and changes nothing. A person decides which account keeps the
address (change or erase the other in the admin, or `manage.py erase_member`); accounts
are never merged automatically."""

from django.db import migrations, models
from django.db.models import Count, F, Q
from django.db.models.functions import Lower


class EmailCaseClash(Exception):
    pass


def _user_clashes(User) -> list[str]:
    lowered = (
        User.objects.annotate(lowered=Lower("email"))
        .values("lowered")
        .annotate(accounts=Count("id"))
        .filter(accounts__gt=1)
        .values("lowered")
    )
    rows = (
        User.objects.annotate(lowered=Lower("email"))
        .filter(lowered__in=lowered)
        .order_by("lowered", "pk")
        .values_list("lowered", "email", "pk")
    )
    return _describe(rows, "member")


def _address_clashes(EmailAddress) -> list[str]:
    # Lower-casing must not give one member the same address twice (unique per member),
    # nor two verified rows the same address (allauth's unique_verified_email).
    lowered = (
        EmailAddress.objects.annotate(lowered=Lower("email"))
        .values("lowered")
        .annotate(
            rows=Count("id"),
            members=Count("user", distinct=True),
            verified=Count("id", filter=Q(verified=True)),
        )
        .filter(Q(rows__gt=F("members")) | Q(verified__gt=1))
        .values("lowered")
    )
    rows = (
        EmailAddress.objects.annotate(lowered=Lower("email"))
        .filter(lowered__in=lowered)
        .order_by("lowered", "user_id", "pk")
        .values_list("lowered", "email", "user_id")
    )
    return _describe(rows, "EmailAddress of member")


def _describe(rows, owner: str) -> list[str]:
    clashes: dict[str, list[str]] = {}
    for lowered, email, pk in rows:
        clashes.setdefault(lowered, []).append(f"{email} ({owner} {pk})")
    return [f"{lowered}: {', '.join(found)}" for lowered, found in clashes.items()]


def lower_case_emails(apps, schema_editor) -> None:
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    clashes = _user_clashes(User) + _address_clashes(EmailAddress)
    if clashes:
        raise EmailCaseClash(
            "These email addresses differ only by case and would become one. Decide which "
            "account keeps each (change the other's address in the admin, or erase it), "
            "then migrate again; nothing was changed:\n  " + "\n  ".join(clashes)
        )
    User.objects.exclude(email=Lower("email")).update(email=Lower("email"))
    EmailAddress.objects.exclude(email=Lower("email")).update(email=Lower("email"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_user_language_time_zone"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(lower_case_emails, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message="A member with this email address already exists.",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(("email", Lower("email"))),
                name="user_email_lower_case",
            ),
        ),
    ]
