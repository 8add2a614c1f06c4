"""The S3-compatible private bucket (STORAGE_BACKEND=s3), with the same tracking of saves.

Kept apart from ``core.storage`` so the local default never imports boto3.
"""

from storages.backends.s3 import S3Storage

from .storage import TrackedSavesMixin


class PrivateS3Storage(TrackedSavesMixin, S3Storage):
    """A private bucket: signed, short-lived URLs only (querystring_auth in settings)."""
