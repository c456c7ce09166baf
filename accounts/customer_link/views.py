"""/members/me/customer-account/: thin views over accounts.customer_link.services."""

from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.customer_link import services
from accounts.customer_link.forms import CodeForm, CustomerNumberForm
from core.errors import Conflict


def _page(request: HttpRequest, **bound_forms) -> HttpResponse:
    """The page with any bound (invalid) form in place of its blank one."""
    context = {
        "link": services.current_link_for(request.user),
        "number_form": CustomerNumberForm(),
        "code_form": CodeForm(),
        # The local gateway logs codes to the console instead of sending them.
        "demo_hint": settings.DEBUG and settings.BILLING_GATEWAY == "local",
        **bound_forms,
    }
    return render(request, "accounts/customer_link.html", context)


def _run(request: HttpRequest, action: Callable[[], object], success: str) -> HttpResponse:
    """Calls the service; its refusals become messages. A ValidationError propagates, for
    the caller's form."""
    try:
        action()
    except (Conflict, services.TooManyCodes, services.CodeNotSent) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("customer_link:page")


@login_required
@require_http_methods(["GET", "POST"])
def customer_link_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    form = CustomerNumberForm(request.POST)
    if form.is_valid():
        start = partial(
            services.customer_link_start,
            user=request.user,
            customer_number=form.cleaned_data["customer_number"],
        )
        try:
            return _run(
                request,
                start,
                _("We sent a code to your customer account. Enter it here within 30 minutes."),
            )
        except ValidationError as error:
            form.add_error(None, error)
    return _page(request, number_form=form)


@login_required
@require_POST
def customer_link_verify(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if form.is_valid():
        code = form.cleaned_data["code"]
        try:
            return _run(
                request,
                partial(services.customer_link_verify, user=request.user, code=code),
                _("Your customer number is verified: your points will be credited to it."),
            )
        except ValidationError as error:
            form.add_error(None, error)
    return _page(request, code_form=form)


@login_required
@require_POST
def customer_link_resend(request: HttpRequest) -> HttpResponse:
    return _run(
        request,
        partial(services.customer_link_resend, user=request.user),
        _("We sent you a new code. The previous one no longer works."),
    )


@login_required
@require_POST
def customer_link_revoke(request: HttpRequest) -> HttpResponse:
    if services.customer_link_revoke(user=request.user):
        messages.success(request, _("Your customer number is no longer linked."))
    return redirect("customer_link:page")
