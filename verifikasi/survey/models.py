"""The office's service standard and the SKM survey (PermenPANRB 15/2014, 14/2017).

``SurveyInvitation`` knows whose registration it belongs to and only whether it
was used; ``SurveyResponse`` knows the office, the month and the answers, and no
user, registration, invitation or exact time: nothing in the database tells a
verifier who answered what.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .elements import CODES, SCALE

MAX_TEXT = 5000


class ServiceStandard(models.Model):
    """The office's published Standar Pelayanan (one per office, edited by its admin)."""

    office = models.OneToOneField("offices.Office", on_delete=models.CASCADE,
                                  related_name="service_standard")
    legal_basis = models.TextField(_("dasar hukum"), max_length=MAX_TEXT)
    requirements = models.TextField(_("persyaratan"), max_length=MAX_TEXT)
    procedure = models.TextField(_("sistem, mekanisme, dan prosedur"), max_length=MAX_TEXT)
    service_days = models.PositiveSmallIntegerField(
        _("jangka waktu penyelesaian (hari kerja)"),
        validators=[MinValueValidator(1, _("Jangka waktu paling sedikit 1 hari kerja.")),
                    MaxValueValidator(90, _("Jangka waktu paling lama 90 hari kerja."))])
    cost = models.CharField(_("biaya/tarif"), max_length=200)
    product = models.TextField(_("produk pelayanan"), max_length=MAX_TEXT)
    complaints = models.TextField(_("penanganan pengaduan, saran, dan masukan"),
                                  max_length=MAX_TEXT)
    facilities = models.TextField(_("sarana dan prasarana"), max_length=MAX_TEXT, blank=True)
    competence = models.TextField(_("kompetensi pelaksana"), max_length=MAX_TEXT, blank=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("standar pelayanan")
        verbose_name_plural = _("standar pelayanan")

    def __str__(self):
        return f"{self.office_id}"


class SurveyInvitation(models.Model):
    """One invitation per closed registration (completed or rejected), used at most once."""

    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE,
                               related_name="survey_invitations")
    registration = models.OneToOneField("registrations.Registration", on_delete=models.CASCADE,
                                        related_name="survey_invitation")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    # Only whether it was used: no time, which would tie it to one response.
    used = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["registration", "used"])]

    def __str__(self):
        return f"{self.registration_id}"


def _answer_field(code):
    return models.PositiveSmallIntegerField(
        code.upper(), validators=[MinValueValidator(SCALE[0]), MaxValueValidator(SCALE[-1])])


class SurveyResponse(models.Model):
    """One anonymous answer set: office, month and the nine answers, nothing else.

    The primary key is random, so not even the order of rows follows the order
    in which invitations were used.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE,
                               related_name="survey_responses")
    month = models.DateField(_("bulan"))  # the first day of the month it was given
    u1 = _answer_field("u1")
    u2 = _answer_field("u2")
    u3 = _answer_field("u3")
    u4 = _answer_field("u4")
    u5 = _answer_field("u5")
    u6 = _answer_field("u6")
    u7 = _answer_field("u7")
    u8 = _answer_field("u8")
    u9 = _answer_field("u9")
    suggestion = models.TextField(_("saran dan masukan"), max_length=2000, blank=True)

    class Meta:
        indexes = [models.Index(fields=["office", "month"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{c}__gte": SCALE[0], f"{c}__lte": SCALE[-1]}),
                name=f"survey_response_{c}_scale")
            for c in CODES
        ]

    def __str__(self):
        return f"{self.month:%Y-%m}"
