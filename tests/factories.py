import time
from datetime import timedelta

import factory
from django.apps import apps
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import roles
from accounts.models import User
from accounts.permissions import customer_link_issues_grant
from branding.permissions import community_managers_grant as branding_grant
from community import services
from community.models import Forum
from insights.permissions import insights_groups_grant
from moderation.permissions import staff_groups_grant
from privacy import selectors as privacy_selectors
from privacy import services as privacy_services
from search.permissions import search_groups_grant


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Member {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def consents(self, create, extracted, **kwargs):
        """Members accepted the required purposes at signup; `consents=False` makes one
        who has not (the site then asks them to accept on their next page view)."""
        if create and extracted is not False:
            privacy_services.consents_record_signup(
                user=self, granted_keys=privacy_selectors.required_keys()
            )

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])
            # Transactional tests flush the permissions the migrations granted.
            staff_groups_grant(apps)
            insights_groups_grant(apps)
            search_groups_grant(apps)
            customer_link_issues_grant(apps)
            branding_grant(apps)
        if create:
            self.save()


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    name = factory.Sequence(lambda n: f"Forum {n}")
    slug = factory.Sequence(lambda n: f"forum-{n}")
    description = "Questions about things."
    position = factory.Sequence(int)


def make_question(*, author=None, forum=None, title="How do I reset my router?", body=None, **kw):
    """A question made through the service, as a member would make it."""
    return services.question_create(
        author=author or UserFactory(),
        forum=forum or ForumFactory(),
        title=title,
        body=body or "The router blinks red since this morning. What can I do?",
        **kw,
    )


def make_answer(*, question=None, author=None, body="Hold the reset button for ten seconds."):
    return services.answer_create(
        question=question or make_question(), author=author or UserFactory(), body=body
    )


def as_user(user) -> APIClient:
    """An API client authenticated as `user` (no token: the API's own auth is tested apart)."""
    client = APIClient()
    client.force_authenticate(user)
    return client


def age(post, **delta) -> None:
    """Makes a question or answer older, as if written `delta` (timedelta arguments) ago."""
    type(post).objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(**delta))


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # base32; every test authenticator uses it


def with_totp(user):
    """Staff must use a second factor before they reach any page (StaffMFARequiredMiddleware)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypt(TOTP_SECRET)}}
    )
    return user


def totp_code() -> str:
    """The code an authenticator app shows now for TOTP_SECRET."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // 30
    return format_hotp_value(hotp_value(TOTP_SECRET, counter))


__all__ = [
    "ForumFactory",
    "UserFactory",
    "make_answer",
    "make_question",
    "roles",
    "totp_code",
    "with_totp",
]


def link_verified(user, number: str = "AB123456"):
    """A verified customer-account link, as if staff had confirmed it."""
    from django.utils import timezone

    from accounts.models import CustomerAccountLink

    return CustomerAccountLink.objects.create(
        user=user,
        customer_number=number,
        state=CustomerAccountLink.State.VERIFIED,
        method=CustomerAccountLink.Method.STAFF,
        verified_at=timezone.now(),
    )


def api_key(user, *scopes: str, days: int = 30) -> str:
    """A personal access token's key, issued without the page's password and code checks."""
    from accounts.tokens.services import _issue

    scopes = scopes or ("read", "write")
    return _issue(user=user, name="test", scopes=list(scopes), days=days, second_factor=False).key


def a_visitor(name: str = "visitor"):
    """An anonymous visitor whose page view was proven (insights.proof), with no network."""
    from insights.proof import Visitor
    from privacy.visitors import visitor_hash

    return Visitor(hash=visitor_hash(name), network="")
