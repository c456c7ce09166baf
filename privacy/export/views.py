"""The export page and the download link: thin views over privacy.export.services."""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.errors import Conflict
from core.htmx import vary_on_htmx
from core.storage import is_object_storage
from privacy.export import services
from privacy.models import PrivacyRequest


@vary_on_htmx
@login_required
@require_http_methods(["GET", "POST"])
def export_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            services.export_request(user=request.user)
        except (Conflict, ValidationError) as error:
            messages.error(
                request, error.message if isinstance(error, Conflict) else error.messages[0]
            )
        return redirect("privacy_export:page")
    latest = services.export_latest(user=request.user)
    building = latest is not None and latest.state in (
        PrivacyRequest.State.QUEUED,
        PrivacyRequest.State.BUILDING,
    )
    template = "privacy/_export_state.html" if request.htmx else "privacy/export.html"
    context = {
        "export": latest,
        "building": building,
        "downloadable": services.export_downloadable(latest),
    }
    return render(request, template, context)


@login_required
@require_POST
def export_download_start(request: HttpRequest, pk: int) -> HttpResponse:
    """The page's Download button: a fresh single-use link, followed at once (303)."""
    try:
        token = services.export_link_renew(user=request.user, export_id=pk)
    except services.ExportUnavailable as error:
        if error.gone:  # expired meanwhile: the page says so
            return HttpResponseRedirect(reverse("privacy_export:page"), status=303)
        return render(request, "privacy/export_link.html", {"message": error.message}, status=404)
    return HttpResponseRedirect(reverse("privacy_export:download", args=[token]), status=303)


@login_required
@require_safe
def export_download(request: HttpRequest, token: str) -> HttpResponse:
    """Streams the file, or with EXPORTS_ACCEL_REDIRECT lets the web server send it from
    its internal location (an empty answer with X-Accel-Redirect). From a private bucket
    it redirects to a signed URL of the object, valid for a minute (privacy.export.s3);
    the URL is not cached and no page's address is sent along with it."""
    try:
        name = services.export_download(user=request.user, token=token)
    except services.ExportUnavailable as error:
        return render(
            request,
            "privacy/export_link.html",
            {"message": error.message},
            status=error.status,
        )
    filename = f"peerdesk-export-{timezone.now():%Y-%m-%d}.zip"
    storage = storages["exports"]
    if is_object_storage(storage):
        # Signing asks nothing of the store: no error of the store after the token is used.
        signed = storage.url(
            name,
            parameters={
                "ResponseContentDisposition": content_disposition_header(True, filename),
                "ResponseContentType": "application/zip",
            },
        )
        response = HttpResponseRedirect(signed)
        response["Referrer-Policy"] = "no-referrer"
    elif settings.EXPORTS_ACCEL_REDIRECT:
        response = HttpResponse(content_type="application/zip")
        response["X-Accel-Redirect"] = settings.EXPORTS_ACCEL_REDIRECT + quote(name)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(
            storage.open(name, "rb"),
            as_attachment=True,
            filename=filename,
            content_type="application/zip",
        )
    response["Cache-Control"] = "no-store, private"
    return response
