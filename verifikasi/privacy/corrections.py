"""An accepted correction request goes through the lifecycle map (UU PDP Pasal 6).

Before a call is booked, ``reopen_for_correction`` sends the registration back to the
vendor's form as a revision with the field flagged (C.3), so the vendor fixes it and
resubmits and the verifier checks it against the documents again. Later, the data is
checked on the call or fixed by a new verification: nothing printed on a certificate
changes silently.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verifikasi.registrations import workflow
from verifikasi.registrations.models import FieldFlag, Registration
from verifikasi.registrations.models import RegistrationStatus as S
from verifikasi.registrations.review import FLAGGABLE_FIELDS

OTHER = "other"
FIELD_CHOICES = [(name, Registration._meta.get_field(name).verbose_name)
                 for name in FLAGGABLE_FIELDS] + [(OTHER, gettext_lazy("Data lainnya"))]


def field_label(name: str) -> str:
    return str(dict(FIELD_CHOICES).get(name, name))


@workflow.effect("reopen_for_correction")
def correction_flagged(step: workflow.Step) -> None:
    """The corrected field is flagged in this round, so the vendor's form unlocks it."""
    reg, name = step.registration, step.data.get("field", "")
    if name in FLAGGABLE_FIELDS:
        FieldFlag.objects.update_or_create(
            registration=reg, round=reg.review_round, field=name,
            defaults={"note": step.data.get("note", "")[:500], "reviewer": step.actor,
                      "value_at_review": str(getattr(reg, name))})


def correction_apply(*, data_request, actor, request=None) -> str:
    """Carry out an accepted correction; returns what happens next, for the letter."""
    reg = data_request.registration
    if reg is None or data_request.field == OTHER:
        return _("Tim verifikator memperbaiki data tersebut sesuai keterangan di atas.")
    if reg.status == S.DRAFT:
        return _("Pendaftaran Anda masih draf: silakan ubah sendiri data tersebut pada "
                 "formulir data perusahaan.")
    if workflow.can(reg, "reopen_for_correction", actor):
        workflow.transition(
            reg, "reopen_for_correction", actor=actor, request=request,
            data={"field": data_request.field, "note": data_request.details},
            details={"data_request": str(data_request.code), "field": data_request.field})
        return _("Formulir data perusahaan dibuka kembali untuk data tersebut. Ubah datanya, "
                 "lalu ajukan kembali; verifikator akan memeriksanya lagi.")
    if reg.status in (S.SCHEDULED, S.VERIFIED):
        return _("Verifikator mencocokkan data tersebut dengan dokumen asli pada video call "
                 "dan memperbaikinya sebelum tanda lulus diterbitkan.")
    if reg.status in (S.CERTIFICATE_SENT, S.COMPLETED):
        return _("Data pada tanda lulus yang sudah terbit tidak diubah diam-diam: ajukan "
                 "verifikasi ulang dengan data yang benar; tanda lulus lama dicabut oleh "
                 "Ketua Tim bila datanya salah.")
    return _("Pendaftaran ini sudah ditutup; data tersebut dicatat sebagai keterangan pada "
             "arsip verifikasi dan tidak diproses lagi.")
