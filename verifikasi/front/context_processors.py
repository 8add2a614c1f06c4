from verifikasi.accounts.models import Role
from verifikasi.meetings.models import MeetingState
from verifikasi.privacy.models import ExportStatus, RequestDecision
from verifikasi.registrations.models import DocumentCheck, RegistrationStatus
from verifikasi.scheduling.models import AppointmentState, OptionKind


def names(request):
    """The model's choices, so templates compare with ``Status.DRAFT``, never a typed name."""
    return {"Status": RegistrationStatus, "DocumentCheck": DocumentCheck, "Role": Role,
            "MeetingState": MeetingState, "AppointmentState": AppointmentState,
            "OptionKind": OptionKind, "ExportStatus": ExportStatus,
            "RequestDecision": RequestDecision}
