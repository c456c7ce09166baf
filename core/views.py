"""What pages of every app share: a refusal explained on a page of its own, and the
decorator of the staff pages."""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.errors import ConsentRequired, RateLimited

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

View = Callable[..., HttpResponse]
FORBIDDEN_TEMPLATE = "community/403.html"


def forbidden_page(view: View) -> View:
    """PermissionDenied becomes a 403 page that says why; RateLimited a 429 page that
    says when to try again; ConsentRequired a 403 page that links to where to accept."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except RateLimited as limited:
            context = {"reason": limited.message, "rate_limited": True}
            response = render(request, FORBIDDEN_TEMPLATE, context, status=429)
            response["Retry-After"] = str(limited.retry_after)
            return response
        except ConsentRequired as required:
            # The path only: the page stays on the host (and session) it was asked on.
            context = {"reason": required.message, "accept": urlsplit(required.accept_url).path}
            return render(request, FORBIDDEN_TEMPLATE, context, status=403)
        except PermissionDenied as denied:
            return render(request, FORBIDDEN_TEMPLATE, {"reason": str(denied)}, status=403)

    return wrapper


def permission_required_page(
    test: str | Callable[[Any], object], message: "StrOrPromise | None" = None
) -> Callable[[View], View]:
    """For the staff pages: visitors go to the login page; a member who may not see the
    page gets the 403 page that says why (forbidden_page, which also explains any
    refusal the view itself raises).

    `test` is a permission ("app.codename") or a predicate on the user, and `message`
    the reason when it is false; or a requirement that raises PermissionDenied with its
    own reason and returns None (e.g. moderation.cases.require_moderator)."""

    def check(user) -> None:
        passed = user.has_perm(test) if isinstance(test, str) else test(user)
        if passed is not None and not passed:
            raise PermissionDenied(message or "")

    def decorator(view: View) -> View:
        @login_required
        @forbidden_page
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            check(request.user)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
