"""Notices about the member's own account: a ready data export (whose download link is a
secret shown once) and a payout credited to their customer account."""

import pytest
from django.core import mail

from notifications.models import EmailState, Kind, Notification
from privacy.export import services as export
from rewards.settlement.services import settlement_run
from tests.notifications.conftest import prefer
from tests.rewards.settlement_helpers import member_with

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def build_export(user, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        export.export_request(user=user)


def test_a_ready_export_is_emailed_with_the_link_and_the_row_forgets_it(
    member, django_capture_on_commit_callbacks
):
    build_export(member, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert "/privacy/export/download/" in message.body
    notification = Notification.objects.get(recipient=member, kind=Kind.EXPORT_READY)
    assert notification.email_state == EmailState.SENT
    assert notification.data == {}


def test_the_in_app_notice_never_holds_the_download_link(
    member, member_client, django_capture_on_commit_callbacks
):
    prefer(member, export_ready="in_app")

    build_export(member, django_capture_on_commit_callbacks)

    notification = Notification.objects.get(recipient=member, kind=Kind.EXPORT_READY)
    assert notification.data == {}
    page = member_client.get("/notifications/").content.decode()
    assert "Your data export is ready" in page
    assert "/download/" not in page


def test_a_confirmed_payout_tells_the_member_the_amount(django_capture_on_commit_callbacks):
    member = member_with(1250)

    with django_capture_on_commit_callbacks(execute=True):
        settlement_run(key="2026-11-24")

    notification = Notification.objects.get(recipient=member, kind=Kind.PAYOUT)
    assert notification.data == {"points": 1250, "amount_cents": 1250, "currency": "EUR"}
    [message] = [m for m in mail.outbox if m.to == [member.email]]
    assert "EUR 12.50 have been credited" in message.subject


def test_an_unconfirmed_payout_tells_nobody(billing_server, django_capture_on_commit_callbacks):
    billing_server.mode = "fail"
    member_with(1000)

    with django_capture_on_commit_callbacks(execute=True):
        settlement_run(key="2026-11-25")

    assert not Notification.objects.filter(kind=Kind.PAYOUT).exists()
