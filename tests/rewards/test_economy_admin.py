"""The economy admin: community managers tune rules, settings, ranks and badges with
clear errors; balances, the ledger and earned badges are read-only."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from rewards import selectors
from rewards.models import EconomySettings, LedgerEntry, PointRule, Rank, Rule
from rewards.permissions import community_managers_grant
from tests.factories import UserFactory, with_totp
from tests.rewards.recognition_helpers import earn, veteran

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client):
    """A community manager, with the group's permissions as the data migration sets them."""
    community_managers_grant(apps)
    manager = with_totp(UserFactory(role=roles.COMMUNITY_MANAGERS, is_staff=True))
    client.force_login(manager)
    return client


def _changelist_post(client, rows: list[tuple[PointRule, str, bool]]):
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "_save": "Save",
    }
    for n, (rule, points, active) in enumerate(rows):
        data |= {f"form-{n}-id": str(rule.pk), f"form-{n}-points": points}
        if active:
            data[f"form-{n}-active"] = "on"
    return client.post(reverse("admin:rewards_pointrule_changelist"), data)


def test_points_are_edited_in_the_rule_list(admin_client):
    kudos = PointRule.objects.get(rule=Rule.KUDOS_RECEIVED)

    response = _changelist_post(admin_client, [(kudos, "15", False)])

    assert response.status_code == 302
    kudos.refresh_from_db()
    assert (kudos.points, kudos.active) == (15, False)


@pytest.mark.parametrize("points", ["-5", "2.5", "abc", "10001"])
def test_bad_points_get_a_clear_error_and_change_nothing(admin_client, points):
    kudos = PointRule.objects.get(rule=Rule.KUDOS_RECEIVED)

    response = _changelist_post(admin_client, [(kudos, points, True)])

    assert response.status_code == 200
    assert "Enter a whole number from 0 to 10000." in response.content.decode()
    kudos.refresh_from_db()
    assert kudos.points == 10


def test_the_rule_change_form_refuses_negative_points(admin_client):
    kudos = PointRule.objects.get(rule=Rule.KUDOS_RECEIVED)
    url = reverse("admin:rewards_pointrule_change", args=[kudos.pk])

    response = admin_client.post(url, {"rule": kudos.rule, "points": "-1", "active": "on"})

    assert response.status_code == 200
    assert "Enter a whole number from 0 to 10000." in response.content.decode()


def test_the_economy_settings_list_opens_the_one_row(admin_client):
    response = admin_client.get(reverse("admin:rewards_economysettings_changelist"))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:rewards_economysettings_change", args=[1])


def test_economy_settings_cannot_be_added_or_deleted(admin_client):
    assert admin_client.get(reverse("admin:rewards_economysettings_add")).status_code == 403
    delete = reverse("admin:rewards_economysettings_delete", args=[1])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert EconomySettings.objects.filter(pk=1).exists()


def test_zero_points_per_euro_gets_a_clear_error(admin_client):
    economy = EconomySettings.load()
    fields = {
        name: getattr(economy, name)
        for name in (
            "holding_days",
            "probation_days",
            "daily_vote_cap",
            "minimum_payout",
            "monthly_cap",
            "household_days",
            "vote_ring_threshold",
        )
    }

    response = admin_client.post(
        reverse("admin:rewards_economysettings_change", args=[1]),
        {**fields, "points_per_euro": "0"},
    )

    assert response.status_code == 200
    assert "Enter a whole number of at least 1." in response.content.decode()
    assert EconomySettings.load().points_per_euro == 100


def test_saving_a_rank_clears_the_cached_rank_list(
    admin_client, django_capture_on_commit_callbacks
):
    selectors.ranks()
    helper = Rank.objects.get(threshold=100)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:rewards_rank_change", args=[helper.pk]),
            {"name_en": "Supporter", "name_de": "Unterstützer", "threshold": "100"},
        )

    assert response.status_code == 302
    assert [r.name_en for r in selectors.ranks()][1] == "Supporter"


def test_a_community_manager_edits_rules_ranks_and_badges(manager_client):
    for model in ("pointrule", "economysettings", "rank", "badge"):
        response = manager_client.get(reverse(f"admin:rewards_{model}_changelist"), follow=True)
        assert response.status_code == 200, model
    kudos = PointRule.objects.get(rule=Rule.KUDOS_RECEIVED)
    assert _changelist_post(manager_client, [(kudos, "12", True)]).status_code == 302


def test_a_community_manager_only_reads_balances_and_the_ledger(manager_client):
    entry = earn(veteran(), 10)

    assert manager_client.get(reverse("admin:rewards_ledgerentry_changelist")).status_code == 200
    page = manager_client.get(reverse("admin:rewards_ledgerentry_change", args=[entry.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    delete = reverse("admin:rewards_ledgerentry_delete", args=[entry.pk])
    assert manager_client.post(delete, {"post": "yes"}).status_code == 403
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_a_moderator_has_no_economy_admin(client):
    client.force_login(with_totp(UserFactory(role=roles.MODERATORS, is_staff=True)))

    assert client.get(reverse("admin:rewards_pointrule_changelist")).status_code == 403


def test_the_ledger_and_accounts_are_searched_by_member(admin_client):
    anna, ben = veteran(email="anna@example.com"), veteran(email="ben@example.com")
    earn(anna, 10)
    earn(ben, 20)

    entries = admin_client.get(reverse("admin:rewards_ledgerentry_changelist"), {"q": "anna@"})
    accounts = admin_client.get(reverse("admin:rewards_pointsaccount_changelist"), {"q": "ben@"})

    assert [e.amount for e in entries.context["cl"].result_list] == [10]
    assert [a.user for a in accounts.context["cl"].result_list] == [ben]


def test_granting_the_community_managers_twice_changes_nothing():
    community_managers_grant(apps)
    group = Group.objects.get(name=roles.COMMUNITY_MANAGERS)
    before = set(group.permissions.values_list("codename", flat=True))

    community_managers_grant(apps)

    assert set(group.permissions.values_list("codename", flat=True)) == before
    assert {"change_pointrule", "view_ledgerentry"} <= before
    assert "change_ledgerentry" not in before
