from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from verifikasi.accounts.decorators import vendor_required
from verifikasi.accounts.models import Role
from verifikasi.certificates.selectors import certificate_current
from verifikasi.core.pagecache import public_page
from verifikasi.core.pagememo import render_memoized
from verifikasi.meetings.selectors import meeting_current
from verifikasi.offices.selectors import office_default
from verifikasi.registrations import deadlines, revision, services, workflow
from verifikasi.registrations.models import Registration, RegistrationStatus
from verifikasi.registrations.selectors import (
    registration_checklist,
    registration_current_for_vendor,
)
from verifikasi.registrations.timeline import registration_timeline
from verifikasi.scheduling.selectors import vendor_appointment
from verifikasi.survey.invitations import invitation_pending_for

from .health import health_report
from .public import landing_context, poster_pdf


@require_GET
@public_page
def landing(request):
    """The public page: the procedure in plain words, Lampiran 1, contact, QR code."""
    return render(request, "front/landing.html", landing_context(request, office_default()))


@require_GET
def poster(request):
    """A printable A4 poster of the registration QR code with the office letterhead."""
    office = office_default()
    return FileResponse(poster_pdf(office), content_type="application/pdf",
                        filename=f"poster-verifikasi-{office.code}.pdf")


@login_required
def home(request):
    """Where a logged-in person lands: their own start page by role."""
    if request.user.role == Role.VENDOR:
        return vendor_home(request)
    counts = dict(
        Registration.objects.filter(office=request.user.office)
        .values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    statuses = [(label, counts.get(value, 0)) for value, label in RegistrationStatus.choices]
    return render(request, "front/home.html", {"statuses": statuses})


@vendor_required
def vendor_home(request):
    """The vendor's registration and where it stands, as a timeline of the procedure."""
    registration = registration_current_for_vendor(
        request.user, office_code=settings.DEFAULT_OFFICE_CODE)
    office = registration.office if registration is not None else office_default()
    context = {"office": office, "registration": registration,
               "survey_invitation": invitation_pending_for(request.user)}
    if registration is not None:
        # The page shows a certificate only once one is issued and the call's invitation
        # only while the call is booked (the lifecycle map's states): no query before.
        status = registration.status
        context["certificate"] = (certificate_current(registration)
                                  if status in workflow.CERTIFIED_STATES else None)
        context["meeting"] = (meeting_current(registration)
                              if status in workflow.CALL_BOOKED_STATES else None)
        context["can_withdraw"] = workflow.can(registration, "withdraw", request.user)
        checklist = registration_checklist(registration)
        context.update(
            checklist=checklist,
            problems=services.submit_problems(registration, checklist)
            if registration.status == RegistrationStatus.DRAFT else [],
            deficiencies=revision.revision_deficiencies(registration, checklist),
            deadline=deadlines.deadline_panel(registration, request.user),
            steps=registration_timeline(
                registration,
                company_done=not services.company_missing_fields(registration),
                documents_done=all(item.latest for item in checklist),
            ),
        )
        shown = registration.is_open or status == RegistrationStatus.COMPLETED
        if shown and status != RegistrationStatus.DRAFT:
            # The page's call panel (as the template shows it), built here for the memo's key.
            context["appointment_view"] = vendor_appointment(registration)
    # Kept by its inputs (the context above is all the page reads): core.pagememo.
    return render_memoized(request, "front/vendor_home.html", context)


@never_cache
@require_GET
def healthz(request):
    """Each dependency as JSON (front.health); 200 when all are fine, else 503."""
    report = health_report(node_only=request.GET.get("scope") == "node")
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
