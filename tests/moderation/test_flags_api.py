"""POST /api/v1/flags/: every outcome a JSON body with the declared status."""

import pytest
from django.urls import reverse

from moderation.models import Flag, TrustLevelRule
from tests.moderation.helpers import answered

pytestmark = pytest.mark.django_db

URL = reverse("api-flags")


@pytest.fixture
def answer(member):
    return answered(author=member)[1]


@pytest.fixture
def flagger(api_client, other_member):
    api_client.force_authenticate(other_member)
    return api_client


def _flag(client, target_type="answer", target_id=None, reason="spam", **more):
    body = {"target_type": target_type, "target_id": target_id, "reason": reason, **more}
    return client.post(URL, body, format="json")


def test_flagging_answers_201_with_the_flag(flagger, answer):
    response = _flag(flagger, target_id=answer.pk, reason="other", text="Copied from a shop")

    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": Flag.objects.get().pk,
        "target_type": "answer",
        "target_id": answer.pk,
        "reason": "other",
        "text": "Copied from a shop",
        "created_at": body["created_at"],
    }


def test_a_profile_can_be_reported(flagger, member):
    response = _flag(flagger, "profile", member.pk, "offensive")

    assert response.status_code == 201
    assert Flag.objects.get().profile == member


@pytest.mark.parametrize(
    "change",
    [
        {"reason": "boring"},
        {"reason": "other"},
        {"target_type": "vote"},
        {"target_id": "abc"},
        {"target_id": 0},
        {"text": "x" * 501},
    ],
)
def test_invalid_input_is_a_400_naming_the_field(flagger, answer, change):
    response = _flag(flagger, **({"target_id": answer.pk} | change))

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not Flag.objects.exists()


def test_visitors_get_401(api_client, answer):
    assert _flag(api_client, target_id=answer.pk).status_code == 401


def test_flagging_your_own_answer_is_403(api_client, member, answer):
    api_client.force_authenticate(member)

    assert _flag(api_client, target_id=answer.pk).status_code == 403


@pytest.mark.parametrize("target_id", [999_999, 2**63 - 1])
def test_an_unknown_target_is_404(flagger, target_id):
    assert _flag(flagger, target_id=target_id).status_code == 404


def test_flagging_twice_is_409(flagger, answer):
    _flag(flagger, target_id=answer.pk)

    response = _flag(flagger, target_id=answer.pk, reason="offensive")

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_flooding_is_429_with_retry_after(flagger, forum, rate_limits):
    per_day = TrustLevelRule.objects.get(level=0).flags_per_day
    answers = [answered(forum=forum)[1] for _ in range(per_day + 1)]
    for answer in answers[:per_day]:
        assert _flag(flagger, target_id=answer.pk).status_code == 201

    response = _flag(flagger, target_id=answers[-1].pk)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
