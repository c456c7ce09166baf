"""The notification list, preferences and the unsubscribe link: thin views over
notifications.selectors and notifications.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.htmx import vary_on_htmx
from core.pagination import paginate
from notifications import kinds, presentation, selectors, services
from notifications.context_processors import bell_label
from notifications.forms import PreferencesForm
from notifications.models import Channel, Kind, Notification
from privacy.selectors import has_consent

PER_PAGE = 20


def _entry(notification: Notification) -> dict:
    return {
        "notification": notification,
        "summary": presentation.summary(notification),
        "url": presentation.link(notification),
    }


@require_safe
def bell(request: HttpRequest) -> HttpResponse:
    """The bell asks every few seconds (templates/notifications/_bell.html): 204 while
    its count is the one it shows (`shown`), else the bell again. The count is kept in
    the cache (selectors.unread_count), so a waiting bell costs the member and one
    cache read. 204 for a visitor too: a page whose session ended keeps its bell."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    label = bell_label(selectors.unread_count(user=request.user))
    if label == request.GET.get("shown", ""):
        return HttpResponse(status=204)
    return render(request, "notifications/_bell.html")  # its count: context_processors


@login_required
@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.notifications_for(user=request.user), per_page=PER_PAGE)
    context = {"page": page, "entries": [_entry(n) for n in page]}
    return render(request, "notifications/list.html", context)


@vary_on_htmx
@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notification = services.notification_mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    if request.htmx:
        return render(request, "notifications/_entry.html", {"entry": _entry(notification)})
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    channels = selectors.channels_for(user)
    form = PreferencesForm(request.POST or None, user=user, channels=channels)
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=user, channels=form.cleaned_data)
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notifications:preferences")
    context = {
        "form": form,
        "channels": Channel.choices,
        "consent": has_consent(user=user, purpose_key=kinds.CONSENT_PURPOSE),
    }
    return render(request, "notifications/preferences.html", context)


@csrf_exempt  # the signed token is the proof; mail programs POST without a session (RFC 8058)
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (mail scanners follow links); POST unsubscribes, also the
    one-click POST a mail program sends. No login needed."""
    try:
        if request.method == "POST":
            _user, kind = services.unsubscribe(token=token)
        else:
            _user, kind = services.unsubscribe_check(token)
    except ValidationError as error:
        return render(
            request,
            "notifications/unsubscribe_invalid.html",
            {"message": error.messages[0]},
            status=400,
        )
    what = Kind(kind).label if kind in Kind.values else _("Daily digest")
    context = {"done": request.method == "POST", "what": what}
    return render(request, "notifications/unsubscribe.html", context)
