import pytest

from privacy import selectors, services
from privacy.models import ConsentRecord
from tests.privacy.conftest import publish

pytestmark = pytest.mark.django_db

Method = ConsentRecord.Method


def _by_key(states):
    return {s.purpose.key: s for s in states}


def test_the_state_shows_each_purpose_with_its_current_text_and_history(consenting_member):
    services.consent_grant(user=consenting_member, purpose_key="newsletter", method=Method.API)
    services.consent_withdraw(
        user=consenting_member, purpose_key="newsletter", method=Method.SETTINGS
    )

    states = _by_key(selectors.consent_state(consenting_member))

    newsletter = states["newsletter"]
    assert (newsletter.granted, newsletter.text.version) == (False, 1)
    assert [(r.granted, r.method) for r in newsletter.history] == [
        (False, Method.SETTINGS),
        (True, Method.API),
    ]
    assert newsletter.since == newsletter.history[0].created_at
    assert states["terms"].granted is True
    assert (states["leaderboards"].granted, states["leaderboards"].since) == (False, None)


def test_a_grant_of_an_older_version_shows_as_outdated(consenting_member):
    publish("terms")

    terms = _by_key(selectors.consent_state(consenting_member))["terms"]

    assert (terms.granted, terms.outdated, terms.text.version) == (False, True, 2)


def test_the_state_takes_the_same_queries_whatever_the_history(
    consenting_member, django_assert_num_queries
):
    for _round in range(5):
        services.consent_grant(user=consenting_member, purpose_key="newsletter", method="api")
        services.consent_withdraw(user=consenting_member, purpose_key="newsletter", method="api")

    with django_assert_num_queries(3):
        states = selectors.consent_state(consenting_member)
        assert sum(len(s.history) for s in states) == 12
