from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from privacy import selectors, services
from privacy.models import ConsentPurpose, ConsentRecord

Method = ConsentRecord.Method


@login_required
@require_safe
def privacy_settings(request: HttpRequest) -> HttpResponse:
    return render(
        request, "privacy/settings.html", {"states": selectors.consent_state(request.user)}
    )


@login_required
@require_POST
def consent_change(request: HttpRequest, key: str) -> HttpResponse:
    action = request.POST.get("action")
    try:
        if action == "grant":
            services.consent_grant(
                user=request.user,
                purpose_key=key,
                method=Method.SETTINGS,
                version=_int_or_none(request.POST.get("version")),
            )
            messages.success(request, _("Thank you: your consent has been recorded."))
        elif action == "withdraw":
            services.consent_withdraw(user=request.user, purpose_key=key, method=Method.SETTINGS)
            messages.success(request, _("Your consent has been withdrawn."))
        else:
            return HttpResponseBadRequest(_("Unknown action."))
    except ConsentPurpose.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(f"{reverse('privacy:settings')}#purpose-{key}")


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    missing = selectors.missing_required(request.user)
    if request.method == "POST":
        # The versions shown on the page (a missing one matches none, as versions start
        # at 1), so a text published meanwhile is not accepted unread.
        versions = {p.key: _int_or_none(request.POST.get(f"version_{p.key}")) or 0 for p in missing}
        try:
            services.consents_accept(user=request.user, versions=versions, method=Method.PROMPT)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(f"{reverse('privacy:accept')}?{urlencode({'next': next_url})}")
        if missing:
            messages.success(request, _("Thank you: your acceptance has been recorded."))
        return redirect(next_url)
    if not missing:
        return redirect(next_url)
    texts = {t.purpose_id: t for t in selectors.current_texts(purposes=missing)}
    items = [(purpose, texts[purpose.pk]) for purpose in missing]
    return render(request, "privacy/accept.html", {"items": items, "next": next_url})


@require_safe
def purpose_text(request: HttpRequest, key: str) -> HttpResponse:
    """The current text of a purpose, public, so it can be read before signing up."""
    try:
        purpose = ConsentPurpose.objects.get(key=key)
    except ConsentPurpose.DoesNotExist:
        raise Http404 from None
    text = selectors.current_text(purpose=purpose)
    if text is None:
        raise Http404
    return render(request, "privacy/text.html", {"purpose": purpose, "text": text})
