"""What the community views share: previews and form submission."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from community.markdown import render_markdown
from community.rules import limit
from core.forms import ServiceForm


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
    to: Callable[[object], object] | None = None,
) -> HttpResponse | None:
    """Save a bound form through a service and redirect to the result. `success` is the
    message, or gives it for what was saved; `to` gives where to go instead of it.

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
    return redirect(to(saved) if to else saved)
