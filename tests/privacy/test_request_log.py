"""Staff see every privacy request with its legal deadline; overdue ones stand out."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from privacy.models import PrivacyRequest
from privacy.requests import LEGAL_DEADLINE, request_open, request_transition
from tests.factories import with_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(with_totp(User.objects.create_superuser("dpo@example.com", "pw")))
    return client


def test_a_request_is_due_within_one_month_and_keeps_its_history(member):
    request = request_open(user=member, kind="export", state="queued")

    request_transition(request=request, state="building")

    assert request.due_at - request.requested_at == LEGAL_DEADLINE
    assert [e.state for e in request.events.all()] == ["queued", "building"]
    assert request.state == "building"
    assert member.email not in request.subject


def test_the_log_marks_open_requests_past_their_deadline(staff_client, member, other_member):
    late = request_open(user=member, kind="erasure", state="scheduled")
    PrivacyRequest.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=1))
    request_open(user=other_member, kind="export", state="queued")

    response = staff_client.get(reverse("admin:privacy_privacyrequest_changelist"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("OVERDUE") == 1
    assert late.subject in html


def test_a_second_open_request_of_a_kind_is_refused(member):
    from django.db import IntegrityError, transaction

    request_open(user=member, kind="export", state="queued")
    with pytest.raises(IntegrityError), transaction.atomic():
        request_open(user=member, kind="export", state="queued")
