"""Storage backends that may fail: an object store that is down, too slow (the client's
timeouts, config/settings.py) or refusing, or a disk that is full or unreadable. Callers
turn these failures into a clear answer (a form error, a 503 page) or a retry, never a
traceback.

boto3 takes 0.4 s to import: a site on local files (the embedded default) never loads
it. Its exceptions count once an S3 storage has loaded it, as has any S3 storage that
raised them."""

import sys


def storage_errors() -> tuple[type[Exception], ...]:
    """The exceptions of a storage that cannot be used just now, for `except`:
    OSError (a disk; timeouts and refused connections too), and botocore's and boto3's
    (the object store: connection errors, timeouts, error answers, failed uploads)."""
    errors: list[type[Exception]] = [OSError]
    if "botocore.exceptions" in sys.modules:
        exceptions = sys.modules["botocore.exceptions"]
        errors += [exceptions.BotoCoreError, exceptions.ClientError]
    if "boto3.exceptions" in sys.modules:
        errors.append(sys.modules["boto3.exceptions"].Boto3Error)
    return tuple(errors)


def is_object_storage(storage) -> bool:
    """Whether `storage` is django-storages' S3 backend (or a subclass of it)."""
    s3 = sys.modules.get("storages.backends.s3")
    return s3 is not None and isinstance(storage, s3.S3Storage)
