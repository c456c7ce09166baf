"""The export page and the download link: thin views over privacy.export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from config.errors import Conflict
from privacy import export
from privacy.models import PrivacyRequest


@login_required
@require_http_methods(["GET", "POST"])
def export_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            export.export_request(user=request.user)
        except (Conflict, ValidationError) as error:
            messages.error(
                request, error.message if isinstance(error, Conflict) else error.messages[0]
            )
        return redirect("privacy_export:page")
    latest = export.export_latest(user=request.user)
    building = latest is not None and latest.state in (
        PrivacyRequest.State.QUEUED,
        PrivacyRequest.State.BUILDING,
    )
    template = "privacy/export_state.html" if request.htmx else "privacy/export.html"
    return render(request, template, {"export": latest, "building": building})


@login_required
@require_safe
def export_download(request: HttpRequest, token: str) -> HttpResponse:
    try:
        file = export.export_download(user=request.user, token=token)
    except export.ExportUnavailable as error:
        return render(
            request,
            "privacy/export_link.html",
            {"message": error.message},
            status=410 if error.gone else 404,
        )
    name = f"peerdesk-export-{timezone.now():%Y-%m-%d}.zip"
    return FileResponse(file, as_attachment=True, filename=name, content_type="application/zip")
