from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts import selectors, services
from accounts.forms import DisplayNameForm
from accounts.models import User

PER_PAGE = 20
# The lists a profile shows, by the value of ?show=; the first is the default.
PROFILE_LISTS = {"questions": selectors.member_questions, "answers": selectors.member_answers}


@require_safe
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        member = selectors.member_profile(pk=pk)
    except User.DoesNotExist:
        raise Http404 from None
    show = request.GET.get("show", "")
    if show not in PROFILE_LISTS:
        show = next(iter(PROFILE_LISTS))
    page = Paginator(PROFILE_LISTS[show](user=member), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "member": member,
        "role_labels": selectors.member_role_labels(user=member),
        "show": show,
        "page": page,
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_settings(request: HttpRequest) -> HttpResponse:
    form = DisplayNameForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"display_name": request.user.display_name},
    )
    if form.is_valid():
        try:
            services.display_name_change(
                user=request.user, display_name=form.cleaned_data["display_name"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your display name has been changed."))
            return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def api_token(request: HttpRequest) -> HttpResponse:
    new_key = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "regenerate":
            # Shown in this response only: the key is never put in a URL or the session.
            new_key = services.api_token_regenerate(user=request.user).key
        elif action == "revoke":
            services.api_token_revoke(user=request.user)
            messages.success(request, _("Your API token has been revoked."))
            return redirect("accounts:api_token")
        else:
            return HttpResponseBadRequest(_("Unknown action."))
    token = selectors.api_token_for(user=request.user)
    return render(request, "accounts/api_token.html", {"token": token, "new_key": new_key})
