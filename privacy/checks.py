"""System checks of the privacy app (registered in PrivacyConfig.ready)."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.files.storage import FileSystemStorage, InvalidStorageError, storages

from core.storage import is_object_storage
from privacy.export.storage import SIGNED_URL_SECONDS

# Canned ACLs that give nobody but the bucket's owner access to an object.
PRIVATE_ACLS = {"private", "bucket-owner-full-control", "bucket-owner-read"}
# The longest a signed URL of an export may live: the link it is redirected from is
# single-use, a long-lived signed URL would not be.
LONGEST_SIGNED_URL_SECONDS = 5 * SIGNED_URL_SECONDS


def _public_roots() -> list[tuple[str, Path]]:
    """The folders a web server (or Django in DEBUG) serves to anyone."""
    roots = [("MEDIA_ROOT", settings.MEDIA_ROOT), ("STATIC_ROOT", settings.STATIC_ROOT)]
    for entry in settings.STATICFILES_DIRS:
        roots.append(("STATICFILES_DIRS", entry[1] if isinstance(entry, tuple) else entry))
    return [(name, Path(root).resolve()) for name, root in roots if root]


@register(Tags.security)
def exports_storage_is_private(app_configs=None, **kwargs) -> list[Error]:
    """Exports hold a member's complete personal data: their folder must not be served,
    their bucket must be private and not the one of public media."""
    try:
        storage = storages["exports"]
    except (InvalidStorageError, TypeError, ValueError) as error:
        return [
            Error(
                f"The storage of data exports is not configured: {error}",
                hint='Add an "exports" entry to STORAGES (see config/settings.py).',
                id="privacy.E001",
            )
        ]
    if is_object_storage(storage):
        return _bucket_errors(storage)
    if not isinstance(storage, FileSystemStorage):
        return []  # another backend: its own access policy decides
    location = Path(storage.location).resolve()
    return [
        Error(
            f"Data exports are stored in {location}, inside {name} ({root}), which is served "
            "publicly: anyone who learns a file name could download a member's data.",
            hint="Set EXPORTS_ROOT to a folder outside MEDIA_ROOT and STATIC_ROOT.",
            id="privacy.E002",
        )
        for name, root in _public_roots()
        if location.is_relative_to(root)
    ]


def _bucket_errors(storage) -> list[Error]:
    """An exports bucket is accepted only if what is written there stays private (no
    public ACL), every URL is signed and short-lived, and it is not the media bucket."""
    errors = []
    acls = {storage.default_acl, storage.object_parameters.get("ACL")} - {None, ""}
    if acls - PRIVATE_ACLS:
        errors.append(
            Error(
                f"Data exports would be written with the ACL {', '.join(sorted(acls))}: "
                "anyone could download a member's data.",
                hint="Leave default_acl empty (or 'private') for the exports storage.",
                id="privacy.E003",
            )
        )
    if not storage.querystring_auth or (storage.custom_domain and not storage.cloudfront_signer):
        errors.append(
            Error(
                "The exports storage gives unsigned URLs: the URL of an export would let "
                "anyone who has it download a member's data.",
                hint="Use privacy.export.s3.PrivateS3Storage with querystring_auth on "
                "and no custom_domain.",
                id="privacy.E003",
            )
        )
    if storage.querystring_expire > LONGEST_SIGNED_URL_SECONDS:
        errors.append(
            Error(
                f"Signed URLs of exports stay valid for {storage.querystring_expire} s.",
                hint=f"Set querystring_expire to at most {LONGEST_SIGNED_URL_SECONDS} s "
                f"(the default is {SIGNED_URL_SECONDS} s).",
                id="privacy.E003",
            )
        )
    media = storages["default"]
    if (
        is_object_storage(media)
        and media.bucket_name == storage.bucket_name
        and media.endpoint_url == storage.endpoint_url
    ):
        errors.append(
            Error(
                f"Data exports are stored in the media bucket {storage.bucket_name}, whose "
                "files are public.",
                hint="Give exports a private bucket of their own (OBJECT_STORAGE_EXPORTS_BUCKET).",
                id="privacy.E004",
            )
        )
    return errors
