"""The hand-written demo: the site, its people, then each app's part of the demo
(community threads, moderation, points history, insights) in the order they build on.
"""

import random
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
from django.db import transaction
from django.utils import timezone

from accounts.models import User, Visibility
from community.models import Forum
from demo.community import THREADS, thread_create
from demo.counters import recount
from demo.insights import demo_insights
from demo.moderation import demo_moderation
from demo.people import (
    CUSTOMER_NUMBERS,
    DEMO_PASSWORD,
    FORUMS,
    MEMBERS,
    NOT_ON_LEADERBOARDS,
    STAFF,
)
from demo.rewards import demo_points_history
from demo.search import demo_search
from demo.specs import Person
from insights.rollups import events_rollup_rebuild, points_rollup_rebuild
from moderation.models import MemberStanding, TrustLevel
from privacy import selectors as privacy_selectors
from privacy import services as privacy_services


@transaction.atomic
def seed_demo(*, now: datetime | None = None) -> tuple[Person, ...]:
    """Fills an empty database; returns the people who can log in."""
    now = now or timezone.now()
    rng = random.Random(2026)  # the same demo every time
    site_update()
    people = STAFF + MEMBERS
    users = people_create(people, now=now)
    forums = {
        spec.slug: Forum.objects.create(
            slug=spec.slug, name=spec.name, description=spec.description, position=position
        )
        for position, spec in enumerate(FORUMS)
    }
    for thread in THREADS:
        thread_create(thread, forum=forums[thread.forum], users=users, now=now, rng=rng)
    demo_moderation(users=users)
    demo_search()
    recount()  # last activity from the back-dated posts
    demo_points_history(
        now=now,
        rng=rng,
        linked={users[handle]: number for handle, number in CUSTOMER_NUMBERS.items()},
        confirmer=users["julia.support"],
    )
    demo_insights(now=now)
    points_rollup_rebuild()
    events_rollup_rebuild()
    return people


def site_update() -> None:
    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"name": "Peerdesk", "domain": urlsplit(settings.SITE_URL).netloc},
    )


def people_create(people: tuple[Person, ...], *, now: datetime) -> dict[str, User]:
    """Users with verified primary addresses, the demo password (hashed once) and the
    required consents, as if each had signed up."""
    password = make_password(DEMO_PASSWORD)
    users = User.objects.bulk_create(
        User(
            email=person.email,
            display_name=person.display_name,
            password=password,
            is_staff=person.superuser,
            is_superuser=person.superuser,
            date_joined=now - timedelta(days=400 - 9 * number),
            # Those who show on the leaderboards are listed for visitors too.
            listing_visibility=(
                Visibility.MEMBERS if person.handle in NOT_ON_LEADERBOARDS else Visibility.PUBLIC
            ),
        )
        for number, person in enumerate(people)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    required = privacy_selectors.required_keys()
    for person, user in zip(people, users, strict=True):
        listed = [] if person.handle in NOT_ON_LEADERBOARDS else ["leaderboards"]
        privacy_services.consents_record_signup(user=user, granted_keys=required + listed)
        if person.role:
            user.groups.add(Group.objects.get_or_create(name=person.role)[0])
    # They have posted for months: past the trust level whose links are held for review.
    MemberStanding.objects.bulk_create(
        MemberStanding(user=user, trust_override=TrustLevel.MEMBER) for user in users
    )
    return {person.handle: user for person, user in zip(people, users, strict=True)}
