from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import Conflict
from privacy.erasure import services


@login_required
@require_http_methods(["GET", "POST"])
def erasure_page(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.erasure_request(
                user=request.user,
                password=request.POST.get("password"),
                delete_posts=request.POST.get("delete_posts") == "on",
            )
        except ValidationError as error:
            errors = error.messages
        except Conflict as error:
            errors = [error.message]
        else:
            logout(request)
            return render(request, "privacy/erasure_scheduled.html", {"days": _days()})
    context = {"errors": errors, "days": _days()}
    return render(request, "privacy/erasure.html", context, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
def erasure_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows when the erasure happens and a button, so link scanners in mail
    clients cancel nothing."""
    try:
        if request.method == "POST":
            services.erasure_cancel_by_token(token=token)
            messages.success(
                request, _("The erasure is cancelled and your account is active again.")
            )
            return redirect("account_login")
        pending = services.erasure_by_token(token=token)
    except ValidationError as error:
        return render(
            request, "privacy/erasure_cancel.html", {"error": error.messages[0]}, status=400
        )
    context = {"erasure": pending, "member": pending.user, "cancel_url": request.path}
    return render(request, "privacy/erasure_cancel.html", context)


def _days() -> int:
    return services.grace_period().days
