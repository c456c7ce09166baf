"""The private storage of data exports (STORAGES["exports"]).

A member's export is their complete personal data: it must never lie where a web server
serves files publicly (MEDIA_ROOT, STATIC_ROOT, a public bucket) nor have a lasting URL.
Only the download view, which checks the owner and a single-use token, hands it out
(privacy.export.views): from a folder it streams the file (or nginx does), from a
private bucket (privacy.export.s3) it redirects to a signed URL valid for a minute.
"""

from django.core.files.storage import FileSystemStorage

# How long the signed URL the download view redirects to stays valid (seconds).
SIGNED_URL_SECONDS = 60


class PrivateFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage without a URL. `location` is required: FileSystemStorage would
    otherwise fall back to MEDIA_ROOT (and `url()` to MEDIA_URL)."""

    def __init__(self, location, **kwargs):
        if not location:
            raise ValueError("A private storage needs its own location.")
        super().__init__(location=location, **kwargs)

    def url(self, name):
        raise NotImplementedError("Files in a private storage have no URL.")
