"""The 403 and 429 pages and the staff-page decorator that every app's pages share."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from core.errors import ConsentRequired, RateLimited
from core.views import forbidden_page, permission_required_page
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _get(user, path="/staff/page/?tab=2"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def _refusing(error):
    def view(request):
        raise error

    return forbidden_page(view)


def ok(request):
    return HttpResponse("the page")


# --- forbidden_page ---------------------------------------------------------------------


def test_a_refusal_is_a_403_page_that_says_why(member):
    response = _refusing(PermissionDenied("Only the asker may do this."))(_get(member))

    assert response.status_code == 403
    assert "Only the asker may do this." in response.content.decode()


def test_too_many_is_a_429_page_that_says_when_to_try_again(member):
    refused = RateLimited("Slow down, please.", retry_after=42)

    response = _refusing(refused)(_get(member))

    assert response.status_code == 429
    assert response["Retry-After"] == "42"
    assert "Slow down, please." in response.content.decode()


def test_a_missing_consent_links_to_where_to_accept_on_this_site(member):
    required = ConsentRequired(
        "Please accept the terms.", texts=[], accept_url="https://peerdesk.example/privacy/accept/"
    )

    response = _refusing(required)(_get(member))

    assert response.status_code == 403
    assert 'href="/privacy/accept/?next=' in response.content.decode()


def test_an_answer_passes_through(member):
    assert forbidden_page(ok)(_get(member)).content == b"the page"


# --- permission_required_page -------------------------------------------------------------


def test_a_visitor_is_sent_to_log_in_and_back():
    page = permission_required_page(lambda user: True, "Staff only.")(ok)

    response = page(_get(AnonymousUser()))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/staff/page/%3Ftab%3D2"


def test_a_member_who_fails_the_predicate_gets_its_reason(member):
    page = permission_required_page(lambda user: False, "Only support leads see this.")(ok)

    response = page(_get(member))

    assert response.status_code == 403
    assert "Only support leads see this." in response.content.decode()


def test_a_requirement_refuses_with_its_own_reason(member):
    def require_moderator(user) -> None:
        raise PermissionDenied("Only moderators can work the review queue.")

    response = permission_required_page(require_moderator)(ok)(_get(member))

    assert response.status_code == 403
    assert "Only moderators can work the review queue." in response.content.decode()


def test_a_predicate_without_a_reason_still_refuses(member):
    response = permission_required_page(lambda user: False)(ok)(_get(member))

    assert response.status_code == 403


def test_a_member_with_the_permission_sees_the_page():
    allowed = UserFactory()
    allowed.user_permissions.add(Permission.objects.get(codename="view_forum"))

    page = permission_required_page("community.view_forum", "Forum editors only.")(ok)

    assert page(_get(allowed)).content == b"the page"
    assert page(_get(UserFactory())).status_code == 403


def test_a_refusal_inside_the_page_is_explained_too(member):
    def view(request):
        raise PermissionDenied("Only the support team can set the costs.")

    response = permission_required_page(lambda user: True, "Staff only.")(view)(_get(member))

    assert response.status_code == 403
    assert "Only the support team can set the costs." in response.content.decode()
