"""The staff menu in the header (core.staff_menu): each link shown exactly to whom its
page opens, with what waits there, read in a fixed number of queries and then kept."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import User
from community.models import Question
from core import staff_menu
from moderation import cases
from moderation.models import CaseSource
from rewards.models import FraudHold, Settlement
from rewards.settlement.services import settlement_run
from tests.factories import UserFactory, make_question, with_totp
from tests.rewards.settlement_helpers import earn, member_with

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("moderation_defaults")]

# A staff page whose own queries do not depend on the cases, fraud holds or settlements.
PAGE = reverse("notifications:list")


def _staff(kind: str) -> User:
    if kind == "member":
        return UserFactory()
    if kind == "superuser":
        return with_totp(UserFactory(is_superuser=True, is_staff=True))
    return with_totp(UserFactory(role=kind))


def _links(user) -> dict[str, int | None]:
    return {link.url: link.count for link in staff_menu.menu_for(user).links}


def _open_cases(n: int) -> None:
    for _ in range(n):
        cases.case_open(target=UserFactory(), source=CaseSource.FLAGS)


def _forget_counts() -> None:
    cache.delete_many([e.count_key for e in staff_menu.entries()])


def _queries(client, url: str = PAGE) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize(
    "kind",
    ["member", roles.MODERATORS, roles.SUPPORT_LEADS, roles.COMMUNITY_MANAGERS, "superuser"],
)
def test_each_link_is_shown_exactly_to_whom_its_page_opens(client, kind):
    user = _staff(kind)
    client.force_login(user)
    header = client.get(PAGE).content.decode()

    shown = _links(user)
    for entry in staff_menu.entries():
        url = reverse(entry.url_name)
        status = client.get(url).status_code
        assert status == (200 if url in shown else 403), f"{kind}: {url} answered {status}"
        assert (f'href="{url}"' in header) == (url in shown), f"{kind}: {url} in the header"


def test_a_member_has_no_staff_menu(member_client):
    assert 'class="staff-menu"' not in member_client.get(PAGE).content.decode()


def test_visitors_have_no_staff_menu(client):
    assert 'class="staff-menu"' not in client.get(reverse("community:home")).content.decode()


def test_the_counts_are_what_waits_on_each_page(client):
    # Given two open cases and a closed one, an escalated question still unanswered,
    # an open fraud hold and a released one, a settlement failed for good and a pending one
    _open_cases(2)
    closed = cases.case_open(target=UserFactory(), source=CaseSource.FLAGS)
    cases.case_close(case=closed)
    escalated = make_question()
    Question.objects.filter(pk=escalated.pk).update(escalated_at=timezone.now())
    make_question()
    held, released = member_with(), member_with()
    FraudHold.objects.create(entry=earn(held, 50), reason=FraudHold.Reason.HOUSEHOLD)
    FraudHold.objects.create(
        entry=earn(released, 50),
        reason=FraudHold.Reason.HOUSEHOLD,
        state=FraudHold.State.RELEASED,
    )
    failed, _pending = member_with(5000), member_with(5000)
    settlement_run(key="staff-menu", enqueue=False)
    Settlement.objects.filter(account__user=failed).update(
        state=Settlement.State.FAILED, next_attempt_at=None
    )

    # Then a community manager sees each count, and the button says how much waits
    manager = _staff(roles.COMMUNITY_MANAGERS)
    assert _links(manager) == {
        reverse("moderation:queue"): 2,
        reverse("moderation_log:list"): None,
        reverse("rewards_fraud:queue"): 1,
        reverse("escalations:list"): 1,
        reverse("rewards_settlement:list"): 1,
        reverse("insights:dashboard"): None,
        reverse("contact:requests"): None,
    }
    client.force_login(manager)
    header = client.get(PAGE).content.decode()
    assert '<span class="menu-count" aria-hidden="true">5</span>' in header
    assert "5 items waiting" in header
    queue = reverse("moderation:queue")
    assert f'href="{queue}">Review queue <span class="menu-count">2</span>' in header


def test_the_menu_speaks_german(moderator_client):
    _open_cases(1)

    header = moderator_client.get(PAGE, HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "Menü" in header
    assert "1 Eintrag wartet" in header
    assert "Prüfliste" in header


def test_the_header_costs_the_same_queries_with_1_or_30_open_cases(moderator_client):
    _open_cases(1)
    moderator_client.get(PAGE)  # the session's first request writes it (cached_db)
    _forget_counts()
    with_one = _queries(moderator_client)

    _open_cases(29)
    _forget_counts()
    with_thirty = _queries(moderator_client)

    assert len(with_thirty) == len(with_one)
    assert 'href="/staff/moderation/">Review queue <span class="menu-count">30</span>' in (
        moderator_client.get(PAGE).content.decode()
    )


def test_the_counts_cost_no_query_on_the_next_page(moderator_client, moderator):
    _open_cases(3)
    moderator_client.get(PAGE)
    _forget_counts()
    first = _queries(moderator_client)

    again = _queries(moderator_client)

    # A moderator's menu counts the review queue, the fraud holds and the escalations.
    assert len(first) - len(again) == 3
    staff_menu.menu_for(moderator)  # reads the moderator's roles onto the instance
    with CaptureQueriesContext(connection) as captured:
        staff_menu.menu_for(moderator)
    assert captured.captured_queries == []


def test_the_counts_are_kept_for_a_short_while(moderator):
    _open_cases(1)
    assert _links(moderator)[reverse("moderation:queue")] == 1

    _open_cases(1)
    assert _links(moderator)[reverse("moderation:queue")] == 1  # kept

    _forget_counts()  # as COUNT_SECONDS passing does
    assert _links(moderator)[reverse("moderation:queue")] == 2


def test_a_link_is_registered_once():
    with pytest.raises(ValueError, match="twice"):
        staff_menu.entry("moderation:queue", "Again", order=1, allowed=roles.is_moderator)
