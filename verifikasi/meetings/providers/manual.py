"""A link the verifier pastes (any service the office already uses): nothing to call."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from .base import BaseProvider, MeetingInfo

ERR_LINK_REQUIRED = _("Isi tautan video call (diawali https://).")
ERR_LINK_NOT_HTTPS = _(
    "Tautan video call harus berupa alamat https:// yang lengkap, misalnya "
    "https://meet.google.com/abc-defg-hij.")

_https = URLValidator(schemes=["https"])


def validate_meeting_url(value: str) -> None:
    """The invitation link a vendor will open: a complete https address, nothing else."""
    value = (value or "").strip()
    if not value:
        raise ValidationError(ERR_LINK_REQUIRED, code="required")
    if len(value) > 2000:
        raise ValidationError(ERR_LINK_NOT_HTTPS, code="invalid")
    try:
        _https(value)
    except ValidationError:
        raise ValidationError(ERR_LINK_NOT_HTTPS, code="invalid") from None


class ManualProvider(BaseProvider):
    name = "manual"
    is_local = True

    def create(self, meeting) -> MeetingInfo:
        validate_meeting_url(meeting.join_url)
        return MeetingInfo(external_id="", join_url=meeting.join_url.strip())
