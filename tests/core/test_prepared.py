"""core.prepared: a precompiled query gives what its plain queryset gives (every query the
vendor home and the session/user loading converted), one query each, per thread; shapes it
cannot reproduce are refused when first compiled."""

import threading
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import make_user
from tests.registrations.factories import add_document, make_registration
from verifikasi.accounts.models import User
from verifikasi.certificates import selectors as certificate_selectors
from verifikasi.certificates.models import Certificate
from verifikasi.core import sessionload
from verifikasi.core.prepared import Prepared, PreparedShapeError
from verifikasi.meetings import selectors as meeting_selectors
from verifikasi.meetings.models import Meeting, MeetingState, Provider
from verifikasi.registrations import selectors as registration_selectors
from verifikasi.registrations.models import Document, DocumentType, Registration
from verifikasi.scheduling import selectors as scheduling_selectors
from verifikasi.scheduling.models import Appointment, AppointmentState
from verifikasi.survey import invitations
from verifikasi.survey.models import SurveyInvitation

pytestmark = pytest.mark.django_db


def fields(obj):
    """Every loaded column and every related object select_related attached, recursively."""
    if obj is None:
        return None
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    cached = {name: fields(rel) for name, rel in obj._state.fields_cache.items()}
    return type(obj), values, cached, obj._state.adding, obj._state.db


def same(prepared_result, plain_result):
    if isinstance(plain_result, list):
        assert [fields(o) for o in prepared_result] == [fields(o) for o in plain_result]
        assert len(plain_result) == len(prepared_result)
    else:
        assert fields(prepared_result) == fields(plain_result)


def one_query(call):
    with CaptureQueriesContext(connection) as queries:
        result = call()
    assert len(queries) == 1
    return result


def test_registrations_with_their_office_in_order(vendor, office, other_office):
    older = make_registration(vendor, office, status="withdrawn")
    newer = make_registration(vendor, office, company_name="CV Baru")
    Registration.objects.filter(pk=older.pk).update(created_at=newer.created_at - timedelta(1))
    make_registration(vendor, other_office, company_name="CV Kantor Lain")
    plain = list(Registration.objects.filter(vendor=vendor, office__code=office.code)
                 .select_related("office").order_by("-created_at"))
    got = one_query(lambda: registration_selectors._vendor_registrations_by_code(
        vendor_id=vendor.pk, office_code=office.code))
    same(got, plain)
    assert [r.pk for r in got] == [newer.pk, older.pk]
    assert got[0].office.code == office.code  # select_related: no further query
    by_office = registration_selectors._vendor_registrations_at(
        vendor_id=vendor.pk, office_id=office.pk)
    same(by_office, list(Registration.objects.filter(vendor=vendor, office=office)
                         .select_related("office").order_by("-created_at")))
    assert registration_selectors._vendor_registrations_by_code(
        vendor_id=vendor.pk, office_code="tidak-ada") == []


def test_the_current_registration_is_the_same_as_before(vendor, office):
    assert registration_selectors.registration_current_for_vendor(vendor, office) is None
    registration = make_registration(vendor, office)
    current = registration_selectors.registration_current_for_vendor(
        vendor, office_code=office.code)
    assert current == registration and current.vendor is vendor
    plain = Registration.objects.select_related("office").get(pk=registration.pk)
    plain.vendor = vendor  # the selector's own doing, before and now
    same(current, plain)


def test_document_types_and_documents(vendor, office):
    registration = make_registration(vendor, office)
    add_document(registration, "ktp")
    add_document(registration, "ktp")
    add_document(registration, "npwp")
    DocumentType.objects.filter(office=office, code="nib").update(active=False)
    same(registration_selectors._applicable_types(office_id=office.pk),
         list(DocumentType.objects.filter(office=office, active=True)))
    types = registration_selectors.document_types_applicable(registration)
    same(types, [dt for dt in registration.office.document_types.filter(active=True)
                 if registration_selectors._applies(dt.condition, registration)])
    assert types and all(dt.office is registration.office for dt in types)
    same(registration_selectors._registration_documents(registration_id=registration.pk),
         list(Document.objects.filter(registration=registration).order_by("version", "pk")))
    checklist = registration_selectors.registration_checklist(registration)
    assert [i.latest.version for i in checklist if i.latest] == [2, 1]



def test_the_upload_path_reads(vendor, other_vendor, office):
    """The vendor's registration by its code (a UUID parameter), the office's active
    document type, the newest (and newest accepted) version and the locked row: as the
    plain querysets had them."""
    import uuid

    from django.db import transaction
    from django.http import Http404

    from verifikasi.registrations import uploads
    from verifikasi.registrations.models import DocumentCheck

    registration = make_registration(vendor, office)
    got = one_query(lambda: registration_selectors.registration_for_vendor(
        vendor, registration.code))
    plain = Registration.objects.select_related("office").get(code=registration.code,
                                                                vendor=vendor)
    plain.vendor = vendor  # the selector's own doing: the vendor is the user already loaded
    same(got, plain)
    assert registration_selectors.registration_for_vendor(vendor, str(registration.code)) == got
    for user, code in [(other_vendor, registration.code), (vendor, uuid.uuid4()),
                       (vendor, "bukan-kode")]:
        with pytest.raises(Http404):
            registration_selectors.registration_for_vendor(user, code)

    ktp = one_query(lambda: registration_selectors.document_type_of_office(office, "ktp"))
    plain_ktp = DocumentType.objects.get(office=office, code="ktp")
    plain_ktp.office = office  # the selector's own doing, as document_types_applicable
    same(ktp, plain_ktp)
    assert ktp.office is office
    DocumentType.objects.filter(office=office, code="nib").update(active=False)
    assert registration_selectors.document_type_of_office(office, "nib") is None
    assert registration_selectors.document_type_of_office(office, "tidak-ada") is None

    assert registration_selectors.newest_version(registration.pk, ktp.pk) is None
    first, second = add_document(registration, "ktp"), add_document(registration, "ktp")
    Document.objects.filter(pk=second.pk).update(check_state=DocumentCheck.CHECKING)
    uploads_of = Document.objects.filter(registration=registration, document_type=ktp)
    same(one_query(lambda: registration_selectors.newest_version(registration.pk, ktp.pk)),
         uploads_of.order_by("-version").first())
    accepted = registration_selectors.newest_version(registration.pk, ktp.pk, accepted=True)
    same(accepted, uploads_of.filter(check_state=DocumentCheck.ACCEPTED)
         .order_by("-version").first())
    assert accepted.pk == first.pk

    with transaction.atomic():
        locked = one_query(lambda: uploads._registration_locked(pk=registration.pk))
        same(locked, Registration.objects.only(*uploads.LOCK_FIELDS).get(pk=registration.pk))


def make_certificate(registration, verifier, *, revoked=False, days=0):
    return Certificate.objects.create(
        registration=registration, office=registration.office, number=f"NO/{days}",
        year=2026, seq=days + 1, issued_at=timezone.now() - timedelta(days=days),
        issued_by=verifier, company_name="CV", npwp_display="-", nib="1", person_verified="B",
        person_role="Direktur", call_date=timezone.localdate(), verifier_name="V",
        file="x.pdf", sha256="0" * 64, **({"revoked_at": timezone.now(), "revoked_by": verifier,
                                           "revoke_reason": "Salah data",
                                           "revoke_reason_category": "data_error"}
                                          if revoked else {}))


def test_the_certificate_in_force(vendor, office, verifier):
    registration = make_registration(vendor, office, status="certificate_sent")
    assert one_query(lambda: certificate_selectors.certificate_current(registration)) is None
    make_certificate(registration, verifier, revoked=True, days=3)
    make_certificate(registration, verifier, days=1)
    make_certificate(registration, verifier, revoked=True, days=0)  # newer, but revoked
    got = certificate_selectors.certificate_current(registration)
    same(got, registration.certificates.filter(revoked_at__isnull=True).first())
    assert got.number == "NO/1"
    assert got.registration is registration  # as the related manager sets it


def make_meeting(registration, *, state, hours):
    return Meeting.objects.create(
        office=registration.office, registration=registration, provider=Provider.MANUAL,
        state=state, start_at=timezone.now() + timedelta(hours=hours), duration_minutes=30,
        topic="Verifikasi")


def test_the_current_meeting(vendor, office):
    registration = make_registration(vendor, office, status="scheduled")
    assert meeting_selectors.meeting_current(registration) is None
    make_meeting(registration, state=MeetingState.CREATED, hours=1)
    make_meeting(registration, state=MeetingState.CANCELLED, hours=5)
    latest = make_meeting(registration, state=MeetingState.CREATED, hours=3)
    plain = (Meeting.objects.filter(registration=registration)
             .exclude(state=MeetingState.CANCELLED).order_by("-start_at", "-pk").first())
    got = one_query(lambda: meeting_selectors.meeting_current(registration))
    same(got, plain)
    assert got.pk == latest.pk


def test_the_appointment_and_the_survey_invitation(vendor, office):
    registration = make_registration(vendor, office)
    assert scheduling_selectors.appointment_for(registration) is None
    Appointment.objects.create(registration=registration, office=office,
                               state=AppointmentState.PROPOSED)
    same(scheduling_selectors.appointment_for(registration),
         Appointment.objects.filter(registration=registration).first())
    assert invitations.invitation_pending_for(vendor) is None
    now = timezone.now()
    SurveyInvitation.objects.create(office=office, registration=registration, token="a",
                                    created_at=now - timedelta(days=1))
    second = make_registration(vendor, office, status="completed", npwp="0099000666091000")
    SurveyInvitation.objects.create(office=office, registration=second, token="b",
                                    created_at=now)
    plain = SurveyInvitation.objects.filter(
        registration__vendor=vendor, used=False).order_by("-created_at").first()
    got = one_query(lambda: invitations.invitation_pending_for(vendor))
    same(got, plain)
    assert got.token == "b"
    SurveyInvitation.objects.filter(token="b").update(used=True)
    assert invitations.invitation_pending_for(vendor).token == "a"


def test_the_session_row_and_the_user_row(vendor, verifier):
    Session.objects.create(session_key="k" * 32, session_data="x",
                           expire_date=timezone.now() + timedelta(hours=1))
    Session.objects.create(session_key="e" * 32, session_data="y",
                           expire_date=timezone.now() - timedelta(seconds=1))
    now = timezone.now()
    for key in ("k" * 32, "e" * 32, "z" * 32):
        same(sessionload._session_row(session_key=key, now=now),
             list(Session.objects.filter(session_key=key, expire_date__gt=now)))
    assert len(sessionload._session_row(session_key="k" * 32, now=now)) == 1
    assert sessionload._session_row(session_key="e" * 32, now=now) == []
    # With the office (staff pages read it on every request), or none for a vendor.
    for person in (vendor, verifier):
        same(sessionload._user_row(pk=person.pk),
             [User.objects.select_related("office").get(pk=person.pk)])
    staff = sessionload._user_row(pk=verifier.pk)[0]
    with CaptureQueriesContext(connection) as reading:
        assert staff.office.pk == verifier.office_id
    assert not reading.captured_queries
    assert sessionload._user_row(pk=vendor.pk + 1000) == []


def test_each_thread_compiles_on_its_own_connection(vendor, office, other_office,
                                                    django_db_blocker):
    make_registration(vendor, office)
    query = Prepared(lambda vendor_id: Registration.objects.filter(vendor_id=vendor_id)
                     .select_related("office"), vendor_id=int)
    here = query(vendor_id=vendor.pk)
    seen = {}

    def other_thread():
        from django.db import connections
        seen["connection"] = connections["default"]
        seen["compiled"] = query._compiled()
        connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert seen["connection"] is not connection
    assert seen["compiled"] is not query._compiled()
    assert seen["compiled"].connection is seen["connection"]
    assert len(here) == 1


@pytest.mark.parametrize("build, kinds, message", [
    (lambda pk: User.objects.filter(pk=pk).values("email"), {"pk": int}, "values"),
    (lambda pk: User.objects.filter(pk=pk).prefetch_related("groups"), {"pk": int},
     "prefetch"),
    (lambda pk: User.objects.filter(pk=pk).annotate(n=models.Count("groups")),
     {"pk": int}, "annotations"),
    (lambda pk: User.objects.filter(pk=pk, date_joined__lte=timezone.now()), {"pk": int},
     "depends on more"),
    (lambda pk: User.objects.filter(pk__in=[pk, *range(pk % 3)]), {"pk": int},
     "depends on more"),
    (lambda pk: User.objects.filter(pk__gt=pk + 1), {"pk": int}, "not a plain lookup"),
    (lambda pk: User.objects.filter(pk__in=[]), {"pk": int}, "cannot compile"),
])
def test_shapes_it_cannot_reproduce_are_refused(build, kinds, message):
    with pytest.raises(PreparedShapeError, match=message):
        Prepared(build, **kinds)(**{name: 1 for name in kinds})


def test_related_managers_lists_and_naive_datetimes_are_refused(vendor, office):
    registration = make_registration(vendor, office)
    with pytest.raises(PreparedShapeError, match="related manager"):
        Prepared(lambda pk: registration.documents.filter(pk=pk), pk=int)(pk=1)
    with pytest.raises(PreparedShapeError, match="unsupported"):
        Prepared(lambda pks: User.objects.filter(pk__in=pks), pks=list)
    query = Prepared(lambda at: User.objects.filter(date_joined__lte=at), at=timezone.datetime)
    with pytest.raises(ValueError, match="aware"):
        query(at=timezone.datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="int"):
        Prepared(lambda pk: User.objects.filter(pk=pk), pk=int)(pk="1")
    with pytest.raises(TypeError, match="expected parameters"):
        Prepared(lambda pk: User.objects.filter(pk=pk), pk=int)(id=1)


def test_a_datetime_parameter_compares_like_the_orm(vendor):
    make_user("lain@usaha.test")
    query = Prepared(lambda at: User.objects.filter(date_joined__lte=at).order_by("pk"),
                     at=timezone.datetime)
    for at in (vendor.date_joined, vendor.date_joined - timedelta(microseconds=1),
               timezone.now()):
        same(query(at=at), list(User.objects.filter(date_joined__lte=at).order_by("pk")))
