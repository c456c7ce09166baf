"""System checks of the privacy app (registered in PrivacyConfig.ready)."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.files.storage import FileSystemStorage, InvalidStorageError, storages


def _public_roots() -> list[tuple[str, Path]]:
    """The folders a web server (or Django in DEBUG) serves to anyone."""
    roots = [("MEDIA_ROOT", settings.MEDIA_ROOT), ("STATIC_ROOT", settings.STATIC_ROOT)]
    for entry in settings.STATICFILES_DIRS:
        roots.append(("STATICFILES_DIRS", entry[1] if isinstance(entry, tuple) else entry))
    return [(name, Path(root).resolve()) for name, root in roots if root]


@register(Tags.security)
def exports_storage_is_private(app_configs=None, **kwargs) -> list[Error]:
    """Exports hold a member's complete personal data: their folder must not be served."""
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
    if not isinstance(storage, FileSystemStorage):
        return []  # object storage: its bucket's access policy decides
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
