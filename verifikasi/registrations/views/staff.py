"""Verifier and coordinator pages: the queue and the review (spec C.3)."""

import hashlib

from django.contrib import messages
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verifikasi.accounts.decorators import team_required
from verifikasi.accounts.models import Role, User
from verifikasi.accounts.selectors import team_members
from verifikasi.core import csrf_kept
from verifikasi.core.http import safe_next_url
from verifikasi.core.lookups import get_by_code_or_404
from verifikasi.core.pageframe import render_framed

from .. import deadlines, duplicates, queue_memo, review_screen, workflow
from .. import review as review_services
from ..forms import DocumentReviewForm, QueueFilterForm
from ..models import Document, DocumentCheck, DocumentType, Registration, RegistrationStatus
from ..panels import links_for, panels_for
from ..queue_rows import queue_rows_html
from ..selectors import registration_checklist, registration_for_office_staff
from ..staff_queue import (
    STATUS_COUNTS_SECONDS,
    QueueFilters,
    queue_clocks,
    queue_page,
    registration_queue,
    status_counts,
    status_total,
)


def _registration(request, code) -> Registration:
    return registration_for_office_staff(request.user, code)


def _hx(request, template, context, full_template):
    """Render the htmx partial for htmx requests, the full page otherwise."""
    name = f"{full_template}#{template}" if request.headers.get("HX-Request") else full_template
    response = render(request, name, context)
    response["Vary"] = "HX-Request"
    return response


def _filter_values(request) -> tuple | None:
    """What the filter form reads of the query string (None: no query string, an unbound
    form): its widgets read each field's last value, ``QueryDict.get``."""
    if not request.GET:
        return None
    return tuple(request.GET.get(name) for name in QueueFilterForm.base_fields)


def _filters(request, form) -> QueueFilters:
    """The filters the query string asks for: the form's validation, kept a minute per
    query string in the worker's memory (it is a function of those values alone; building
    and validating the form cost a twentieth of the page, issue 16)."""
    key = "queue-parse:" + hashlib.sha256(repr(_filter_values(request)).encode()).hexdigest()
    cache = caches["local"]
    filters = cache.get(key)
    if filters is None:
        filters = form.filters()
        cache.set(key, filters, STATUS_COUNTS_SECONDS)
    return filters


def _filters_html(request, form, counts) -> str:
    """The filter form's markup, kept a minute in the worker's memory per language, status
    counts and filter values: the same for everyone of the office who asks the same
    (nothing personal, no CSRF token), and its ten widgets cost a tenth of the page
    (issue 16)."""
    state = (get_language(), _filter_values(request),
             tuple(counts.get(value, 0) for value, _label in QueueFilterForm.STATUS_CHOICES))
    key = "queue-filters:" + hashlib.sha256(repr(state).encode()).hexdigest()
    cache = caches["local"]
    html = cache.get(key)
    if html is None:
        html = render_to_string("registrations/staff/queue.html#filters", {"form": form})
        cache.set(key, html, STATUS_COUNTS_SECONDS)
    return html


@team_required
def queue(request):
    """The office's queue: filters, search, oldest first, how long each has waited."""
    user = request.user
    office = user.office
    counts = status_counts(office)
    # The form is built when something reads it (a filter or its markup not kept).
    form = SimpleLazyObject(lambda: QueueFilterForm(request.GET or None, status_counts=counts))
    # The results, kept per person until anything they show changes (queue_memo).
    key = queue_memo.memo_key(request, office, counts)
    results = queue_memo.recall(key, request)
    if results is None:
        results = queue_memo.keep(key, request, _results(request, user, office, form, counts))
    if request.headers.get("HX-Request"):
        response = HttpResponse(results)
    else:
        # The whole page: the results, the filter form (kept a minute) and base.html's
        # frame (kept per role, office and language: core.pageframe).
        response = HttpResponse(render_framed(request, "registrations/staff/queue.html", {
            "filters_html": _filters_html(request, form, counts), "results_html": results,
        }, slots=("filters_html", "results_html"), office=office))
    response["Vary"] = "HX-Request"
    return response


def _results(request, user, office, form, counts) -> str:
    """The queue's results (the "results" partial), with core.csrf_kept's placeholder as the
    forms' CSRF token."""
    filters = _filters(request, form)
    qs = registration_queue(office, user, filters)
    page = queue_page(qs, after=request.GET.get("setelah", ""),
                      before=request.GET.get("sebelum", ""),
                      total=status_total(filters, counts))
    queue_clocks(page.rows, office)
    verifiers = team_members(office) if user.role == Role.COORDINATOR else []
    page.rows_html = queue_rows_html(page.rows, request, verifiers,
                                     token=csrf_kept.PLACEHOLDER)
    # The page links keep the filters and carry only the cursor.
    kept = request.GET.copy()
    for name in ("setelah", "sebelum", "halaman"):
        kept.pop(name, None)
    context = {"form": form, "page": page, "verifiers": verifiers,
               "filters_query": kept.urlencode()}
    return render_to_string("registrations/staff/queue.html#results", context,
                            request=request)


@team_required
@require_POST
def take(request, code):
    registration = _registration(request, code)
    review_services.registration_take(registration=registration, actor=request.user,
                                      request=request)
    messages.success(request, _("Pendaftaran %(name)s sekarang Anda tangani.")
                     % {"name": registration.company_name})
    return redirect("staff_review", code=registration.code)


@team_required
@require_POST
def assign(request, code):
    registration = _registration(request, code)
    verifier = get_by_code_or_404(User, request.POST.get("verifier"),
                                  office=request.user.office)
    review_services.registration_assign(registration=registration, actor=request.user,
                                        verifier=verifier, request=request)
    messages.success(request, _("Ditugaskan kepada %(name)s.") % {"name": verifier})
    return redirect(safe_next_url(request, "staff_queue"))


def _review_context(request, registration):
    state = review_services.review_state(registration)
    checklist = registration_checklist(registration)
    reasons = list(registration.office.deficiency_reasons.filter(active=True))
    docs = []
    for item in checklist:
        decision = state.decisions.get(item.document_type.pk)
        docs.append({
            "item": item,
            "decision": decision,
            "changed": item.document_type.pk in state.changed,
            "form": DocumentReviewForm(reasons=reasons, review=decision,
                                       prefix=item.document_type.code),
            "versions": item.latest.version if item.latest else 0,
        })
    return {
        "registration": registration,
        "state": state,
        "docs": docs,
        "checks": review_screen.automatic_checks(registration),
        "fields": review_screen.flaggable_fields(registration, state),
        "can_review": workflow.can(registration, "request_revision", request.user),
        "can_reject": workflow.can(registration, "reject", request.user),
        # Once the certificate is out, rejecting revokes it (the certificates app says so).
        "reject_revokes": registration.status == RegistrationStatus.CERTIFICATE_SENT,
        "panels": panels_for(request, registration),
        "links": links_for(request, registration),
        "history": review_screen.registration_history(registration),
        "deadline": deadlines.deadline_panel(registration, request.user),
    }


@team_required
def review(request, code):
    """The review screen: company data beside each document, page by page."""
    registration = _registration(request, code)
    context = _review_context(request, registration)
    context["duplicates"] = duplicates.registration_duplicates_show(
        registration=registration, actor=request.user, request=request)
    return render(request, "registrations/staff/review.html", context)


@team_required
@require_POST
def review_document(request, code, type_code):
    """Accept one document or mark it "perlu perbaikan" (htmx partial or redirect)."""
    registration = _registration(request, code)
    document_type = get_object_or_404(DocumentType, office=registration.office, code=type_code)
    reasons = list(registration.office.deficiency_reasons.filter(active=True))
    form = DocumentReviewForm(request.POST, reasons=reasons, prefix=type_code)
    error = None
    if form.is_valid():
        try:
            review_services.document_review_record(
                registration=registration, document_type=document_type, actor=request.user,
                decision=form.cleaned_data["decision"], reasons=form.cleaned_data["reasons"],
                note=form.cleaned_data["note"], request=request)
        except ValidationError as e:
            error = " ".join(e.messages)
    else:
        error = " ".join(str(m) for errs in form.errors.values() for m in errs)
    if request.headers.get("HX-Request"):
        context = _review_context(request, registration)
        context["doc"] = next(d for d in context["docs"]
                              if d["item"].document_type.pk == document_type.pk)
        context["doc_error"] = error
        # The document's card, and out of band every panel the decision changes:
        # what is still undecided (issue 21) and the history.
        page = "registrations/staff/review.html"
        html = render_to_string(f"{page}#document", context, request=request)
        context["oob"] = True
        html += render_to_string(f"{page}#history", context, request=request)
        if context["can_review"]:
            html += render_to_string(f"{page}#send", context, request=request)
        response = HttpResponse(html, status=200 if error is None else 400)
        response["Vary"] = "HX-Request"
        return response
    if error:
        messages.error(request, error)
    return redirect(f"{registration_url(registration)}#doc-{type_code}")


def registration_url(registration):
    return reverse("staff_review", args=[registration.code])


@team_required
@require_POST
def flag_field(request, code):
    registration = _registration(request, code)
    try:
        review_services.field_flag_set(registration=registration, actor=request.user,
                                       field_name=request.POST.get("field", ""),
                                       note=request.POST.get("note", ""), request=request)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect(f"{registration_url(registration)}#data")


@team_required
@require_POST
def blacklist(request, code):
    registration = _registration(request, code)
    listed = request.POST.get("listed")
    if listed not in ("0", "1"):
        messages.error(request, _("Pilih hasil pemeriksaan daftar hitam."))
    else:
        try:
            review_services.blacklist_check_record(
                registration=registration, actor=request.user, listed=listed == "1",
                note=request.POST.get("note", ""), request=request)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
    return redirect(f"{registration_url(registration)}#daftar-hitam")


@team_required
@require_POST
def complete(request, code):
    """Send the result: all accepted → documents accepted; otherwise revision requested."""
    registration = _registration(request, code)
    try:
        review_services.review_complete(registration=registration, actor=request.user,
                                        request=request)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect(registration_url(registration))
    except workflow.WorkflowError as e:
        if not e.problems:
            raise
        messages.error(request, " ".join([str(e.message), *map(str, e.problems)]))
        return redirect(registration_url(registration))
    registration.refresh_from_db()
    if registration.status == "documents_accepted":
        messages.success(request, _("Semua dokumen diterima. Lanjutkan dengan penjadwalan."))
    else:
        messages.success(request, _("Daftar perbaikan telah dikirim ke Pelaku Usaha."))
    return redirect(registration_url(registration))


@team_required
@require_POST
def reject(request, code):
    registration = _registration(request, code)
    problems = workflow.attempt(
        review_services.registration_reject, registration=registration,
        actor=request.user, reason=request.POST.get("reason", ""), request=request,
        revoke_certificate=request.POST.get("revoke_certificate") == "1")
    if problems:
        messages.error(request, " ".join(problems))
        return redirect(f"{registration_url(registration)}#tolak")
    messages.info(request, _("Pendaftaran ditolak."))
    return redirect("staff_queue")


@team_required
def document_page(request, code, doc_code, page):
    """One page of an uploaded document as a PNG rendered on the server."""
    registration = _registration(request, code)
    document = get_object_or_404(Document, registration=registration, code=doc_code,
                                 check_state=DocumentCheck.ACCEPTED)
    return review_screen.document_page_response(document=document, page=page,
                                                  actor=request.user, request=request)


@team_required
@require_POST
def extend_deadline(request, code):
    """Issue 20: extend the deficiency deadline once, with a reason (emailed to the vendor)."""
    registration = _registration(request, code)
    workflow.require("extend_deadline", registration, request.user)
    days = request.POST.get("days", "").strip()
    problems = workflow.attempt(
        deadlines.revision_deadline_extend, registration=registration, actor=request.user,
        days=int(days) if days.isdigit() and len(days) < 4 else 0,
        reason=request.POST.get("reason", ""), request=request)
    if problems:
        messages.error(request, " ".join(problems))
    else:
        messages.success(request, _("Batas waktu perbaikan diperpanjang sampai %(date)s.") % {
            "date": date_format(registration.revision_deadline, "DATE_FORMAT")})
    return redirect(f"{registration_url(registration)}#tenggat")
