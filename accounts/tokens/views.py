"""The member's tokens page: create (password, and for staff a second factor), see the
key once, list, revoke."""

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import ApiToken
from accounts.tokens import services
from accounts.tokens.forms import TokenForm


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = TokenForm(request.POST or None, user=user)
    new, status = None, 200
    if request.method == "POST":
        # allauth's limit for re-entered passwords: guessing through this form is throttled.
        if not ratelimit.consume(request, action="reauthenticate", user=user):
            form.add_error(None, _("Too many attempts. Please wait a minute and try again."))
            status = 429
        elif not form.is_valid():
            status = 400
        else:
            try:
                new = services.token_create(user=user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_error(error)
                status = 400
            else:
                form = TokenForm(user=user)
    context = {
        "form": form,
        "new": new,  # its key is in this response only: never in a URL or the session
        "tokens": services.tokens_of(user),
        "second_factor_missing": services.second_factor_missing(user),
    }
    return render(request, "accounts/tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = services.token_revoke(user=request.user, pk=pk)
    except ApiToken.DoesNotExist:
        raise Http404(_("No such token.")) from None
    messages.success(
        request,
        _("The token “%(name)s” is revoked: it stops working at once.") % {"name": token.name},
    )
    return redirect("accounts:tokens")
