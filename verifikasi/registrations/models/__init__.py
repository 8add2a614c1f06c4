"""The registrations app's models, split by subject: statuses, the registration, the
documents and the review. Everything is importable from here, as before the split
(migrations name ``verifikasi.registrations.models.document_upload_to``)."""

from .documents import (
    Document,
    DocumentCheck,
    DocumentCondition,
    DocumentType,
    document_upload_to,
)
from .queue_version import QueueVersion
from .registration import Registration
from .review import Decision, DeficiencyReason, DocumentReview, FieldFlag
from .statuses import (
    ACTIONABLE_STATUSES,
    BACKLOG_STATUSES,
    CLOSED_STATUSES,
    OPEN_STATUSES,
    BusinessForm,
    RegistrationStatus,
)

__all__ = [
    "ACTIONABLE_STATUSES", "BACKLOG_STATUSES", "CLOSED_STATUSES", "OPEN_STATUSES",
    "BusinessForm", "DeficiencyReason", "Decision", "Document", "DocumentCheck",
    "DocumentCondition", "DocumentReview", "DocumentType", "FieldFlag", "QueueVersion",
    "Registration", "RegistrationStatus", "document_upload_to",
]
