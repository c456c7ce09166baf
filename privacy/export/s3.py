"""Data exports in a private bucket of an S3-compatible object store (STORAGES["exports"]
when OBJECT_STORAGE_EXPORTS_BUCKET is set; docs/object-storage.md). A module of its own,
so a site on local files never imports boto3."""

from storages.backends.s3 import S3Storage

from privacy.export.storage import SIGNED_URL_SECONDS


class PrivateS3Storage(S3Storage):
    """Objects are written without an ACL (only the bucket's owner may read them) and
    are never cached; every `url()` is signed (SigV4) and valid for SIGNED_URL_SECONDS.
    The system check privacy.checks.exports_storage_is_private refuses options that
    would weaken this, and a bucket shared with public media."""

    querystring_auth = True
    querystring_expire = SIGNED_URL_SECONDS
    signature_version = "s3v4"
    default_acl = None
    object_parameters = {"CacheControl": "private, no-store"}

    def __init__(self, **settings):
        super().__init__(**settings)
        if not self.bucket_name:
            raise ValueError("A private storage needs its own bucket.")
