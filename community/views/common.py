"""What the community views share: pages, previews, form submission and error pages."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from community.markdown import render_markdown
from community.rules import limit
from config.errors import ConsentRequired, RateLimited
from core.forms import ServiceForm


def paginate(request: HttpRequest, items, *, per_page: str, count: int | None = None) -> Page:
    """The requested page; a junk or out-of-range number gives the first or last page.

    `count`, when the caller knows it (a denormalised counter), saves a COUNT query."""
    paginator = Paginator(items, limit(per_page))
    if count is not None:
        paginator.count = count  # a cached_property: setting it skips the query
    return paginator.get_page(request.GET.get("page"))


def markdown_preview(body: str) -> dict:
    """What a body will look like, shaped like a post for the templates."""
    return {"body_html": render_markdown(body[: limit("BODY_MAX")])}


def preview(request: HttpRequest) -> dict | None:
    """The submitted body rendered, when the Preview button was pressed."""
    return markdown_preview(request.POST.get("body", "")) if "preview" in request.POST else None


def submit(
    request: HttpRequest,
    form: ServiceForm,
    save: Callable[[dict], object],
    *,
    success: str | Callable[[object], str],
) -> HttpResponse | None:
    """Save a bound form through a service and redirect to the result. `success` is the
    message, or gives it for what was saved.

    Returns None when the page should be shown again: a preview, or errors,
    which the service's ValidationError puts next to the fields it names.
    """
    if "preview" in request.POST or not form.is_valid():
        return None
    try:
        saved = save(form.cleaned_data)
    except ValidationError as error:
        form.add_service_error(error)
        return None
    messages.success(request, success if isinstance(success, str) else success(saved))
    return redirect(saved)


def forbidden_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """PermissionDenied becomes a 403 page that says why; RateLimited a 429 page that
    says when to try again."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except RateLimited as limited:
            context = {"reason": limited.message, "rate_limited": True}
            response = render(request, "community/403.html", context, status=429)
            response["Retry-After"] = str(limited.retry_after)
            return response
        except ConsentRequired as required:
            context = {"reason": required.message, "accept": reverse("privacy:accept")}
            return render(request, "community/403.html", context, status=403)
        except PermissionDenied as denied:
            return render(request, "community/403.html", {"reason": str(denied)}, status=403)

    return wrapper


def page_or_fragment(
    request: HttpRequest, template: str, fragment: str, context: dict, *, target: str
) -> HttpResponse:
    """The whole page, or only `fragment` when htmx asks to swap the element `target`."""
    chosen = fragment if request.htmx and request.htmx.target == target else template
    response = render(request, chosen, context)
    # The same URL answers with a page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response
