"""The staff pages of webhooks (/staff/webhooks/): endpoints, their secrets and delivery
log, and redelivery. Thin views over webhooks.services and webhooks.selectors; the
permissions are model permissions community managers hold (webhooks.permissions)."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.errors import Conflict
from core.pagination import paginate
from core.views import permission_required_page
from webhooks import delivery as sending
from webhooks import selectors, services
from webhooks.forms import EndpointForm
from webhooks.models import Delivery, Endpoint

PER_PAGE = 50
ONLY_MANAGERS = gettext_lazy("Only community managers can manage webhooks.")
may_view = permission_required_page(selectors.VIEW, ONLY_MANAGERS)
may_add = permission_required_page("webhooks.add_endpoint", ONLY_MANAGERS)
may_change = permission_required_page(selectors.MANAGE, ONLY_MANAGERS)
TABS = [("", gettext_lazy("All")), *Delivery.State.choices]


@may_view
@require_safe
def endpoint_list(request: HttpRequest) -> HttpResponse:
    context = {
        "endpoints": selectors.endpoint_list(),
        "can_add": request.user.has_perm("webhooks.add_endpoint"),
    }
    return render(request, "webhooks/endpoints.html", context)


def _form_page(request: HttpRequest, form: EndpointForm, endpoint: Endpoint | None = None):
    status = 400 if form.is_bound else 200
    return render(
        request, "webhooks/endpoint_form.html", {"form": form, "endpoint": endpoint}, status=status
    )


@may_add
@require_http_methods(["GET", "POST"])
def endpoint_create(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _form_page(request, EndpointForm())
    form = EndpointForm(request.POST)
    if form.is_valid():
        try:
            endpoint = services.endpoint_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("The endpoint is registered. Give its signing secret to the receiving system."),
            )
            return redirect("webhooks:endpoint", endpoint.pk)
    return _form_page(request, form)


@may_change
@require_http_methods(["GET", "POST"])
def endpoint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint, pk=pk)
    if request.method == "GET":
        return _form_page(request, EndpointForm.of(endpoint), endpoint)
    form = EndpointForm(request.POST, editing=True)
    if form.is_valid():
        try:
            services.endpoint_update(endpoint=endpoint, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The endpoint is saved."))
            return redirect("webhooks:endpoint", endpoint.pk)
    return _form_page(request, form, endpoint)


@may_view
@require_safe
def endpoint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint, pk=pk)
    state = request.GET.get("state", "")
    state = state if state in Delivery.State.values else ""
    deliveries = selectors.deliveries_for(endpoint=endpoint, state=state)
    context = {
        "endpoint": endpoint,
        "secrets": selectors.valid_secrets(endpoint_id=endpoint.pk, now=timezone.now()),
        "can_manage": services.can_manage(request.user),
        "tabs": TABS,
        "state": state,
        "page": paginate(request, deliveries, per_page=PER_PAGE),
    }
    return render(request, "webhooks/endpoint.html", context)


@may_change
@require_POST
def secret_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint, pk=pk)
    services.secret_rotate(endpoint=endpoint, by=request.user)
    messages.success(
        request,
        _(
            "A new secret is in use. Requests carry the old one's signature too for "
            "%(hours)d hours: update the receiving system within that time."
        )
        % {"hours": settings.WEBHOOKS_SECRET_OVERLAP_HOURS},
    )
    return redirect("webhooks:endpoint", endpoint.pk)


@may_view
@require_safe
def delivery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Delivery.objects.select_related("event", "endpoint"), pk=pk)
    context = {
        "delivery": found,
        "body": json.dumps(sending.envelope(found.event), indent=2, ensure_ascii=False),
        "attempts": selectors.attempts_of(found),
        "can_manage": services.can_manage(request.user),
    }
    return render(request, "webhooks/delivery.html", context)


@may_change
@require_POST
def delivery_redeliver(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Delivery, pk=pk)
    try:
        services.delivery_redeliver(delivery=found, by=request.user)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The delivery is being sent again, with the same delivery id."))
    return redirect("webhooks:delivery", found.pk)
