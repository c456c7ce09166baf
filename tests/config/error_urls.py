"""The site's URLs and error handlers, plus views that fail in ways no real view should."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as site_urlpatterns


def refuse(request):
    raise PermissionDenied("Staff only.")


def suspicious(request):
    raise SuspiciousOperation("A forged request.")


def crash(request):
    raise RuntimeError("A bug.")


urlpatterns = [
    path("api/v1/test/refuse/", refuse),
    path("api/v1/test/suspicious/", suspicious),
    path("api/v1/test/crash/", crash),
    path("test/refuse/", refuse),
    path("test/crash/", crash),
    *site_urlpatterns,
]
