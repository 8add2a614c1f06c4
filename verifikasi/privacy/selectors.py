"""Access helpers (404 to anyone who may not see) and the staff's queue."""

from dataclasses import dataclass
from datetime import timedelta

from django.http import Http404
from django.utils import timezone

from verifikasi.accounts.models import Role
from verifikasi.registrations import workflow

from .holdings import mask
from .models import DataExport, DataRequest, ExportStatus, RequestStatus


def data_request_for_vendor(user, code) -> DataRequest:
    try:
        return DataRequest.objects.select_related("registration").get(code=code,
                                                                       requester=user)
    except (DataRequest.DoesNotExist, ValueError):
        raise Http404 from None


def data_request_for_staff(user, code) -> DataRequest:
    """Staff of the office the request was sent to; 404 to everyone else."""
    if not user.is_authenticated or user.role == Role.VENDOR:
        raise Http404
    try:
        data_request = DataRequest.objects.select_related(
            "registration", "requester", "office", "decided_by").get(code=code,
                                                                    office_id=user.office_id)
    except (DataRequest.DoesNotExist, ValueError):
        raise Http404 from None
    if not workflow.can_office("answer_data_request", data_request.office, user):
        raise Http404
    return data_request


def data_export_for_download(user, code) -> DataExport:
    """Only the person it was made for, only while it is offered."""
    try:
        export = DataExport.objects.get(code=code, user=user)
    except (DataExport.DoesNotExist, ValueError):
        raise Http404 from None
    if export.status != ExportStatus.READY or export.expires_at <= timezone.now():
        raise Http404
    return export


@dataclass
class QueueRow:
    data_request: DataRequest
    time_left: timedelta

    @property
    def overdue(self) -> bool:
        return self.time_left <= timedelta(0)

    @property
    def hours_left(self) -> int:
        return int(self.time_left.total_seconds() // 3600)

    @property
    def minutes_left(self) -> int:
        return int(self.time_left.total_seconds() % 3600 // 60)

    @property
    def hours_over(self) -> int:
        return int(-self.time_left.total_seconds() // 3600)


def data_request_queue(office, *, answered: bool = False, now=None, limit: int = 200):
    """The office's requests: open ones by deadline (most urgent first), or the answered."""
    now = now or timezone.now()
    qs = DataRequest.objects.filter(office=office).select_related("requester", "registration",
                                                                  "decided_by")
    if answered:
        qs = qs.filter(status=RequestStatus.ANSWERED).order_by("-decided_at")
    else:
        qs = qs.filter(status=RequestStatus.RECEIVED).order_by("deadline")
    return [QueueRow(r, r.deadline - now) for r in qs[:limit]]


def requested_field_value(data_request: DataRequest) -> str:
    """What the field a correction is about holds now, as staff may see it (a NIK masked)."""
    registration = data_request.registration
    if registration is None or not data_request.field:
        return ""
    value = getattr(registration, data_request.field, "")
    return mask(value) if "nik" in data_request.field else value
