"""Personal access tokens: created on the settings page with the password (and, for
staff, a second factor), shown once, scoped, expiring, listed and revocable; and the
rules every token request meets."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.tokens import services
from community.models import Question
from tests.factories import UserFactory, api_key, make_question, roles, totp_code, with_totp

pytestmark = pytest.mark.django_db

PAGE = "/members/me/tokens/"
PASSWORD = "correct-horse-battery"
READ, WRITE, PRIVACY, INSIGHTS = (s.value for s in ApiToken.Scope)
QUESTION = {"forum": "mobilfunk", "title": "Router blinks red all night", "body": "x" * 40}


def create(client, **fields):
    data = {"name": "My script", "scopes": [READ, WRITE], "days": 30, "password": PASSWORD}
    return client.post(PAGE, data | fields)


def key_of(response) -> str:
    return response.context["new"].key


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


# --- The settings page --------------------------------------------------------------


def test_the_page_needs_a_login(client):
    assert client.get(PAGE).status_code == 302
    assert create(client).status_code == 302
    assert not ApiToken.objects.exists()


def test_a_member_creates_a_token_sees_the_key_once_and_only_its_hash_is_kept(
    member_client, member
):
    response = create(member_client)

    key = key_of(response)
    token = ApiToken.objects.get(user=member)
    assert response.status_code == 200
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert (token.name, token.scopes, token.second_factor) == ("My script", [READ, WRITE], False)
    assert key not in str(ApiToken.objects.values_list().get())
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    listing = member_client.get(PAGE).content.decode()
    assert key not in listing
    assert "My script" in listing and token.prefix in listing


def test_a_wrong_password_creates_nothing(member_client):
    response = create(member_client, password="guess")

    assert response.status_code == 400
    assert "The password is not correct." in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [{"scopes": []}, {"scopes": [INSIGHTS]}, {"scopes": ["admin"]}, {"days": 5000}, {"name": " "}],
)
def test_bad_choices_create_nothing(member_client, fields):
    assert create(member_client, **fields).status_code == 400
    assert not ApiToken.objects.exists()


def test_staff_need_a_current_code_from_their_authenticator(client, support_lead):
    client.force_login(support_lead)

    assert create(client).status_code == 400  # no code
    assert create(client, code="000000").status_code == 400
    response = create(client, code=totp_code(), scopes=[READ, INSIGHTS])

    assert response.status_code == 200
    token = ApiToken.objects.get(user=support_lead)
    assert (token.second_factor, token.scopes) == (True, [READ, INSIGHTS])
    # The same code cannot be used twice.
    assert create(client, code=totp_code()).status_code == 400


def test_staff_without_a_second_factor_cannot_reach_the_page(client):
    lead = UserFactory(role=roles.SUPPORT_LEADS)
    client.force_login(lead)

    assert create(client)["Location"] == "/accounts/2fa/totp/activate/"
    assert not ApiToken.objects.exists()


def test_a_member_cannot_hold_more_than_the_maximum_of_active_tokens(member_client, member):
    for _ in range(services.ACTIVE_MAX):
        api_key(member, READ)

    assert create(member_client).status_code == 400
    assert ApiToken.objects.filter(user=member).count() == services.ACTIVE_MAX


def test_revoking_stops_the_token_at_once(member_client, member):
    key = key_of(create(member_client))
    token = ApiToken.objects.get()

    assert member_client.post(f"{PAGE}{token.pk}/revoke/").status_code == 302

    assert bearer(key).get("/api/v1/notifications/").status_code == 401
    assert "revoked on" in member_client.get(PAGE).content.decode()


def test_nobody_revokes_another_members_token(client, member, other_member):
    token = ApiToken.objects.get(key_hash=services._hash(api_key(member, READ)))
    client.force_login(other_member)

    assert client.post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- What a token may do ------------------------------------------------------------


def test_an_expired_token_is_refused(member):
    key = api_key(member, READ, WRITE)
    a_day_ago = timezone.now() - timedelta(days=1)
    ApiToken.objects.update(created_at=a_day_ago - timedelta(days=30), expires_at=a_day_ago)

    response = bearer(key).get("/api/v1/notifications/")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_token_of_a_deactivated_member_is_refused(member):
    key = api_key(member, READ)
    member.is_active = False
    member.save()

    assert bearer(key).get("/api/v1/notifications/").status_code == 401


def test_writing_needs_the_write_scope_and_the_error_names_it(member, forum):
    response = bearer(api_key(member, READ)).post("/api/v1/questions/", QUESTION, format="json")

    assert response.status_code == 403
    assert "“write”" in response.json()["detail"]
    assert not Question.objects.exists()


def test_private_data_needs_the_read_scope_public_data_none(member):
    client = bearer(api_key(member, WRITE))

    assert client.get("/api/v1/notifications/").status_code == 403
    assert client.get("/api/v1/me/points/").status_code == 403
    assert client.get("/api/v1/forums/").status_code == 200
    assert client.get("/api/v1/questions/").status_code == 200


def test_the_data_export_needs_the_privacy_scope(member):
    assert bearer(api_key(member, READ, WRITE)).post("/api/v1/me/export/").status_code == 403


def test_a_token_that_may_write_posts(member, forum):
    response = bearer(api_key(member, WRITE)).post("/api/v1/questions/", QUESTION, format="json")

    assert response.status_code == 201
    assert Question.objects.get().author == member


def test_use_is_noted_at_most_every_few_minutes(member):
    client = bearer(api_key(member, READ))

    client.get("/api/v1/notifications/")
    first = ApiToken.objects.get().last_used_at
    client.get("/api/v1/notifications/")

    assert first is not None
    assert ApiToken.objects.get().last_used_at == first


# --- Staff: the second factor guards the API too -------------------------------------


def _lead_token(lead, client) -> str:
    client.force_login(lead)
    return key_of(create(client, code=totp_code(), scopes=[READ, INSIGHTS]))


def test_a_support_lead_reads_the_figures_with_a_token_made_with_the_second_factor(
    client, support_lead
):
    assert bearer(_lead_token(support_lead, client)).get(
        "/api/v1/insights/summary/"
    ).status_code == (200)


def test_a_staff_token_stops_working_when_the_second_factor_is_removed(client, support_lead):
    key = _lead_token(support_lead, client)
    Authenticator.objects.filter(user=support_lead).delete()

    response = bearer(key).get("/api/v1/insights/summary/")

    assert response.status_code == 403
    assert "second factor" in response.json()["detail"]


def test_a_token_made_before_its_member_became_staff_is_refused(member):
    key = api_key(member, READ, WRITE)
    with_totp(member)
    member.groups.add(Group.objects.get_or_create(name=roles.SUPPORT_LEADS)[0])

    assert bearer(key).get("/api/v1/notifications/").status_code == 403


def test_staff_without_a_second_factor_get_a_json_403_on_the_api_not_a_redirect(client):
    lead = UserFactory(role=roles.SUPPORT_LEADS)
    client.force_login(lead)

    response = client.get("/api/v1/insights/summary/")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "second_factor_required"
    assert "two-factor" in response.json()["detail"]


# --- The password grant: POST /api/v1/auth/token/ -------------------------------------


def verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def grant(client, email, password=PASSWORD, **extra):
    return client.post(
        "/api/v1/auth/token/", {"email": email, "password": password}, format="json", **extra
    )


def test_a_member_without_a_second_factor_gets_a_short_lived_read_write_token(api_client):
    member = verified(UserFactory())

    response = grant(api_client, member.email.upper())

    assert response.status_code == 201
    body = response.json()
    assert body["scopes"] == [READ, WRITE]
    assert body["name"] == "API login"
    assert bearer(body["token"]).get("/api/v1/notifications/").status_code == 200
    assert ApiToken.objects.get(user=member).expires_at < timezone.now() + timedelta(days=31)


@pytest.mark.parametrize("staff", [True, False])
def test_the_password_alone_never_gets_past_a_second_factor(api_client, staff):
    user = verified(UserFactory(role=roles.SUPPORT_LEADS if staff else None))
    with_totp(user)

    response = grant(api_client, user.email)

    assert response.status_code == 403
    assert "/members/me/tokens/" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_staff_without_a_second_factor_get_no_token_either(api_client):
    lead = verified(UserFactory(role=roles.SUPPORT_LEADS))

    assert grant(api_client, lead.email).status_code == 403
    assert not ApiToken.objects.exists()


@pytest.fixture
def login_limits(settings):
    """allauth's throttles as configured for production (tests switch them off)."""
    from config import settings as production

    settings.ACCOUNT_RATE_LIMITS = production.ACCOUNT_RATE_LIMITS


def test_twelve_wrong_passwords_are_throttled_with_retry_after(api_client, login_limits):
    member = verified(UserFactory())

    codes = [grant(api_client, member.email, "wrong").status_code for _ in range(12)]

    assert codes[:5] == [400] * 5
    assert set(codes[5:]) == {429}
    response = grant(api_client, member.email)  # even the right password now
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 300
    assert response.json()["code"] == "throttled"
    assert not ApiToken.objects.exists()


def test_one_address_guessing_many_accounts_is_throttled(api_client, login_limits):
    members = [verified(UserFactory()) for _ in range(12)]

    codes = [grant(api_client, m.email, "wrong").status_code for m in members]

    assert codes[:10] == [400] * 10
    assert codes[10:] == [429, 429]


def test_the_login_forms_failures_count_at_the_token_endpoint_too(client, api_client, login_limits):
    member = verified(UserFactory())
    for _ in range(5):
        client.post("/accounts/login/", {"login": member.email, "password": "wrong"})

    assert grant(api_client, member.email).status_code == 429


# --- Tokens after the account changes -------------------------------------------------


def test_the_member_is_told_of_a_new_token(
    member_client, member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        create(member_client)

    assert mailoutbox[-1].to == [member.email]
    assert "My script" in mailoutbox[-1].body
    assert "/members/me/tokens/" in mailoutbox[-1].body


def test_changing_the_password_revokes_the_tokens(member_client, member):
    key = api_key(member, READ)

    member_client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "new-horse-battery-9",
            "password2": "new-horse-battery-9",
        },
    )

    assert bearer(key).get("/api/v1/notifications/").status_code == 401


def test_adding_a_second_factor_revokes_the_tokens_made_without_it(member):
    from allauth.mfa.signals import authenticator_added

    key = api_key(member, READ)
    authenticator_added.send(sender=Authenticator, request=None, user=member, authenticator=None)

    assert bearer(key).get("/api/v1/notifications/").status_code == 401


def test_asking_for_erasure_revokes_the_tokens(member):
    from privacy.erasure import services as erasure

    key = api_key(member, READ)
    erasure.erasure_request(user=member, password=PASSWORD)
    erasure.erasure_cancel(user=member)

    assert bearer(key).get("/api/v1/notifications/").status_code == 401


def test_a_token_without_read_sees_the_question_as_a_visitor(member, moderator):
    from community.models import Visibility

    question = make_question(author=member)
    Question.objects.filter(pk=question.pk).update(visibility=Visibility.HIDDEN)

    assert (
        bearer(api_key(member, PRIVACY)).get(f"/api/v1/questions/{question.pk}/").status_code == 404
    )
    assert bearer(api_key(member, READ)).get(f"/api/v1/questions/{question.pk}/").status_code == 200
    assert bearer(api_key(member, READ)).head("/api/v1/me/consents/").status_code == 403


def test_a_directly_granted_permission_makes_staff(client, member):
    from django.contrib.auth.models import Permission

    member.user_permissions.add(Permission.objects.get(codename="moderate_case"))
    client.force_login(member)

    assert client.get("/staff/moderation/")["Location"] == "/accounts/2fa/totp/activate/"
    assert grant(APIClient(), member.email).status_code in (400, 403)  # never a token


def test_the_admin_login_goes_through_allauth(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    with_totp(admin)

    response = client.post(
        "/admin/login/?next=/admin/", {"username": admin.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/admin/").status_code == 302
