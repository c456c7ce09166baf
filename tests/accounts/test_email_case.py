"""Email addresses are case-insensitive: stored in lower case, found in any case."""

import importlib

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.apps import apps
from django.contrib.auth import authenticate
from django.contrib.sessions.middleware import SessionMiddleware
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Lower
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.social import SocialSignupForm
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "kettle-Harbour-91"
TYPED = "Anna.Beispiel@Example.org"
STORED = "anna.beispiel@example.org"
migration = importlib.import_module("accounts.migrations.0006_user_email_lower_case")


def _admin_adds(admin_client, email=TYPED, display_name="Anna Beispiel"):
    return admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": email,
            "display_name": display_name,
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def _log_in(login):
    """In a browser of its own (admin_client is pytest-django's `client`, logged in as root)."""
    browser = Client()
    return browser, browser.post("/accounts/login/", {"login": login, "password": PASSWORD})


def _signup_data(email):
    return {
        "email": email,
        "display_name": "Second Anna",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "consent_terms": "on",
        "consent_privacy": "on",
    }


def _verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


# --- Logging in -----------------------------------------------------------------------


@pytest.mark.parametrize("login", [TYPED, STORED, TYPED.upper(), f"  {TYPED.swapcase()} "])
def test_a_member_the_admin_added_in_mixed_case_and_confirmed_logs_in_with_any_casing(
    admin_client, login
):
    assert _admin_adds(admin_client).status_code == 302
    member = User.objects.get(display_name="Anna Beispiel")
    assert member.email == STORED
    # What a script or a support lead confirming the address adds next to the admin.
    _verified(member)

    browser, response = _log_in(login)

    assert response.status_code == 302
    assert browser.session["_auth_user_id"] == str(member.pk)


@pytest.mark.parametrize("login", [TYPED, STORED])
def test_a_member_the_admin_added_without_a_confirmed_address_is_asked_to_confirm_it(
    admin_client, login
):
    # The admin creates no allauth EmailAddress row: the first login sends the confirmation.
    _admin_adds(admin_client)
    mail.outbox.clear()

    _browser, response = _log_in(login)

    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert mail.outbox[0].to == [STORED]
    assert EmailAddress.objects.get().email == STORED


def test_the_api_token_endpoint_accepts_the_address_in_any_casing(api_client):
    member = _verified(User.objects.create_user(TYPED, PASSWORD, display_name="Anna Beispiel"))

    response = api_client.post(
        "/api/v1/auth/token/", {"email": TYPED.upper(), "password": PASSWORD}, format="json"
    )

    assert response.status_code in (200, 201), response.json()
    assert "token" in response.json()
    assert member.email == STORED


def test_the_password_backends_find_a_member_in_any_casing():
    member = User.objects.create_user(TYPED, PASSWORD, display_name="Anna Beispiel")

    assert authenticate(email=TYPED.upper(), password=PASSWORD) == member
    assert User.objects.get_by_natural_key(f" {TYPED} ") == member


def test_a_password_reset_asked_for_in_another_case_reaches_the_member():
    _verified(User.objects.create_user(TYPED, PASSWORD, display_name="Anna Beispiel"))

    Client().post("/accounts/password/reset/", {"email": TYPED.upper()})

    assert [message.to for message in mail.outbox] == [[STORED]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


# --- The admin --------------------------------------------------------------------------


def test_the_admin_refuses_an_address_taken_in_another_case_with_a_form_error(admin_client):
    UserFactory(email=STORED)

    response = _admin_adds(admin_client, email=TYPED.upper(), display_name="Second Anna")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == [
        "A member with this email address already exists."
    ]
    assert not User.objects.filter(display_name="Second Anna").exists()


def test_the_admin_change_form_stores_lower_case_and_refuses_a_taken_address(admin_client, member):
    UserFactory(email=STORED)
    url = reverse("admin:accounts_user_change", args=[member.pk])
    data = {"display_name": member.display_name, "is_active": "on"}

    taken = admin_client.post(url, {**data, "email": TYPED})
    changed = admin_client.post(url, {**data, "email": "Anna.Neu@Example.ORG"})

    assert taken.status_code == 200
    assert "email" in taken.context["adminform"].form.errors
    assert changed.status_code == 302
    member.refresh_from_db()
    assert member.email == "anna.neu@example.org"


# --- The manager and createsuperuser ----------------------------------------------------


def test_create_user_and_create_superuser_store_the_address_in_lower_case():
    user = User.objects.create_user(f" {TYPED} ", display_name="Anna Beispiel")
    root = User.objects.create_superuser("Root@Example.ORG")

    assert (user.email, root.email) == (STORED, "root@example.org")


def test_createsuperuser_stores_lower_case_and_refuses_an_address_taken_in_another_case():
    call_command("createsuperuser", interactive=False, email=TYPED, verbosity=0)

    with pytest.raises(CommandError, match="already taken"):
        call_command("createsuperuser", interactive=False, email=TYPED.upper(), verbosity=0)

    assert list(User.objects.values_list("email", flat=True)) == [STORED]


# --- allauth: signup, social signup, manage email ---------------------------------------


def test_signing_up_with_an_address_taken_in_another_case_creates_no_second_account(
    admin_client,
):
    _admin_adds(admin_client)
    mail.outbox.clear()

    response = Client().post("/accounts/signup/", _signup_data(STORED))

    # As for the same address in the same case: so that the signup page does not tell
    # who is a member (allauth's enumeration prevention), it answers as if it had
    # signed up, and the mail goes to the address's owner.
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert list(User.objects.exclude(is_superuser=True).values_list("email", flat=True)) == [STORED]
    assert [message.to for message in mail.outbox] == [[STORED]]
    assert "already" in mail.outbox[0].body


def test_a_social_signup_stores_the_providers_address_in_lower_case(rf):
    request = rf.get("/")
    SessionMiddleware(lambda request: None).process_request(request)
    sociallogin = SocialLogin(
        user=User(),
        account=SocialAccount(provider="google", uid="4711", extra_data={"email": TYPED}),
        email_addresses=[EmailAddress(email=TYPED, verified=True, primary=True)],
    )
    form = SocialSignupForm(
        data={
            "email": TYPED,
            "display_name": "Anna Beispiel",
            "consent_terms": "on",
            "consent_privacy": "on",
        },
        sociallogin=sociallogin,
    )
    assert form.is_valid(), form.errors

    user = form.save(request)

    assert User.objects.get(pk=user.pk).email == STORED
    assert list(EmailAddress.objects.values_list("email", flat=True)) == [STORED]


def test_a_member_cannot_add_their_own_address_again_in_another_case(client):
    member = User.objects.create_user(TYPED, PASSWORD, display_name="Anna Beispiel")
    client.force_login(member)

    response = client.post("/accounts/email/", {"action_add": "", "email": TYPED.upper()})

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert list(EmailAddress.objects.values_list("email", flat=True)) == [STORED]


def test_an_address_a_member_adds_is_stored_in_lower_case(member_client, member):
    member_client.post("/accounts/email/", {"action_add": "", "email": "Second@Example.ORG"})

    assert EmailAddress.objects.filter(user=member, email="second@example.org").exists()
    assert not EmailAddress.objects.exclude(email=Lower("email")).exists()


# --- The database and the migration -----------------------------------------------------


def test_the_database_refuses_a_mixed_case_address_written_by_raw_sql(member):
    with (
        pytest.raises(IntegrityError, match="user_email_lower_case"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE accounts_user SET email = %s WHERE id = %s", [TYPED, member.pk])


def test_the_database_refuses_a_mixed_case_address_saved_past_the_manager():
    with pytest.raises(IntegrityError, match="user_email_lower_case"), transaction.atomic():
        User.objects.create(email=TYPED, display_name="Anna Beispiel")


@pytest.fixture
def rows_from_before_the_migration():
    """Drops the constraints migration 0006 adds, inside the test's transaction (which
    restores them), so that rows can be as they were before it."""
    with connection.schema_editor() as editor:
        for constraint in User._meta.constraints:
            if constraint.name in {"user_email_ci_unique", "user_email_lower_case"}:
                editor.remove_constraint(User, constraint)


def test_the_migration_lower_cases_the_members_and_allauths_addresses(
    rows_from_before_the_migration,
):
    anna = UserFactory(email=TYPED)
    bernd = UserFactory(email="bernd@example.org")
    EmailAddress.objects.create(user=anna, email=TYPED, verified=True, primary=True)
    EmailAddress.objects.create(user=anna, email="Anna@Work.Example", verified=False)

    migration.lower_case_emails(apps, None)

    anna.refresh_from_db()
    bernd.refresh_from_db()
    assert (anna.email, bernd.email) == (STORED, "bernd@example.org")
    assert sorted(EmailAddress.objects.values_list("email", flat=True)) == [
        "anna.beispiel@example.org",
        "anna@work.example",
    ]


def test_the_migration_refuses_two_accounts_that_differ_only_by_case_and_changes_nothing(
    rows_from_before_the_migration,
):
    first = UserFactory(email=TYPED)
    second = UserFactory(email=STORED)
    third = UserFactory(email="Bernd@Example.org")

    with pytest.raises(migration.EmailCaseClash) as refused:
        migration.lower_case_emails(apps, None)

    message = str(refused.value)
    assert f"{TYPED} (member {first.pk})" in message
    assert f"{STORED} (member {second.pk})" in message
    assert "Bernd" not in message
    third.refresh_from_db()
    assert third.email == "Bernd@Example.org"


def test_the_migration_refuses_verified_addresses_of_two_accounts_that_differ_only_by_case(
    rows_from_before_the_migration,
):
    first, second = UserFactory(), UserFactory()
    EmailAddress.objects.create(user=first, email=TYPED, verified=True)
    EmailAddress.objects.create(user=second, email=STORED, verified=True)

    with pytest.raises(migration.EmailCaseClash, match=f"EmailAddress of member {second.pk}"):
        migration.lower_case_emails(apps, None)

    assert EmailAddress.objects.filter(email=TYPED).exists()
