"""Document files (spec B.4–B.7): the vendor's upload, and downloads and thumbnails.

Uploads are the vendor's; a document's file and thumbnail may be fetched by the vendor
who owns the registration or by staff of its office (a KTP scan is personal data, and so
is its thumbnail). Every download is audited, and so is a staff member viewing a thumbnail.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from verifikasi.accounts.decorators import vendor_required
from verifikasi.core import bodyfile
from verifikasi.core.audit import audit_log
from verifikasi.core.http import private_file

from .. import handoff, revision, uploads, workflow
from ..models import Document, DocumentCheck, DocumentCondition, DocumentType, Registration
from ..selectors import (
    ChecklistItem,
    document_type_of_office,
    newest_version,
    registration_for_user,
    registration_for_vendor,
)

CARD_TEMPLATE = "registrations/vendor/_document.html"
# The thumbnail placeholder asks again after 2, 3, 4 … 10 seconds, then gives up
# (the worker may be down; the vendor can reload later).
PREVIEW_POLLS = 30
# "Sedang diperiksa" asks every second for the first ten seconds (a check takes about
# one), then every 2, 3 … 5 seconds, for about three minutes in all.
CHECK_POLLS = 50


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _checklist_item(registration: Registration, document_type: DocumentType,
                    newest: Document | None = None) -> ChecklistItem:
    """This card's item, as registration_checklist has it, without asking for every other
    document (also for a type no longer applicable: the card the vendor acted on);
    ``newest``: the version just uploaded, when the caller has it."""
    if newest is None:
        newest = newest_version(registration.pk, document_type.pk)
    latest = newest
    if newest is not None and newest.check_state != DocumentCheck.ACCEPTED:
        latest = newest_version(registration.pk, document_type.pk, accepted=True)
    for doc in (newest, latest):
        if doc is not None:
            doc.registration, doc.document_type = registration, document_type
    return ChecklistItem(document_type, DocumentCondition(document_type.condition).label, latest,
                         None if newest == latest else newest)


def _card(request, registration, document_type, *, status=200, newest=None, **extra):
    item = _checklist_item(registration, document_type, newest)
    item.deficiency = next((d for d in revision.revision_deficiencies(registration, [item])
                            if d.document_type_id == document_type.pk), None)
    context = {
        "item": item,
        "registration": registration,
        # Per document: in a revision (C.3) only the flagged ones take a new upload.
        "editable": revision.document_is_replaceable(registration, document_type),
        "upload": uploads.upload_form_context(),
        **extra,
    }
    response = render(request, CARD_TEMPLATE, context, status=status)
    # Lets upload.js swap a refusal (4xx) into the page like a success.
    response["X-Document-Card"] = "1"
    patch_vary_headers(response, ["HX-Request"])
    return response


@csrf_exempt  # checked below by csrf_protect, once the upload limit handler is in place
@require_POST
@vendor_required
def document_upload(request, code, type_code):
    """B.5: upload a PDF or photos for one document; htmx gets the card back.

    Without JavaScript the form is a plain multipart POST answered with a redirect. Behind
    the documented nginx a body from the page arrives stored to disk (core.bodyfile): the
    request only looks at its ends and moves it into the storage (handoff); the token
    comes in the X-CSRFToken header then (htmx sends it from base.html's hx-headers).
    """
    body = bodyfile.handed_body(request)
    # Before anything reads the body: a file over the limit is stopped while it streams in.
    limiter = uploads.upload_limit_handler(request) if body is None else None
    registration = registration_for_vendor(request.user, code)
    document_type = document_type_of_office(registration.office, type_code)
    if document_type is None:
        raise Http404
    return _document_upload(request, registration, document_type, limiter, body)


def _store(request, registration, document_type, limiter, body) -> Document:
    if body is not None:  # nginx stored it: no body came with the request
        return handoff.document_upload_handed(
            registration=registration, document_type=document_type, body=body,
            boundary=handoff.body_boundary(request), actor=request.user, request=request)
    files = request.FILES.getlist("files")  # parses the body, through the limit handler
    if limiter.refusal is not None:
        raise limiter.refusal
    return uploads.document_upload(registration=registration, document_type=document_type,
                                   files=files, actor=request.user, request=request)


@csrf_protect
def _document_upload(request, registration, document_type, limiter, body):
    try:
        document = _store(request, registration, document_type, limiter, body)
    except uploads.UploadRefused as e:
        if _is_htmx(request):
            return _card(request, registration, document_type, status=422, error=e.message)
        messages.error(request, f"{document_type.name}: {e.message}")
        return redirect("registration_documents", code=registration.code)
    except workflow.WorkflowError as e:
        if not _is_htmx(request):
            raise
        registration.refresh_from_db()
        return _card(request, registration, document_type, status=403, error=e.message)

    notice = _("%(name)s terkirim (versi %(version)d) dan sedang diperiksa.") % {
        "name": document_type.name, "version": document.version}
    if _is_htmx(request):
        return _card(request, registration, document_type, newest=document, notice=notice)
    messages.success(request, notice)
    url = reverse("registration_documents", args=[registration.code])
    return redirect(f"{url}#doc-{document_type.code}")


def _document_for_user(user, code, doc_code) -> Document:
    """The document, if ``user`` may see its registration (owner or office staff); else 404.

    Staff see only what the worker's check accepted: an upload still being checked, or a
    refused one, is the vendor's alone.
    """
    registration = registration_for_user(user, code)
    documents = Document.objects.select_related("document_type")
    if registration.vendor_id != user.pk:
        documents = documents.filter(check_state=DocumentCheck.ACCEPTED)
    try:
        document = documents.get(code=doc_code, registration=registration)
    except Document.DoesNotExist:
        raise Http404 from None
    document.registration = registration
    return document


def _audit_access(action, document, request, **details):
    registration = document.registration
    audit_log(action=action, actor=request.user, office=registration.office, obj=document,
              request=request, details={
                  "registration": str(registration.code), "type": document.document_type.code,
                  "version": document.version, "sha256": document.sha256, **details})


@never_cache
@require_GET
@login_required
def document_download(request, code, doc_code):
    """The stored PDF of one version, as an attachment (never shown inline from our origin)."""
    document = _document_for_user(request.user, code, doc_code)
    if document.purged_at or not document.file:
        raise Http404  # destroyed at the end of its retention period
    _audit_access("document.downloaded", document, request)
    filename = (f"{document.document_type.code}-{document.registration.code.hex[:8]}"
                f"-v{document.version}.pdf")
    return private_file(FileResponse(default_storage.open(document.file.name, "rb"),
                                     as_attachment=True, filename=filename,
                                     content_type="application/pdf"))


@require_GET
@login_required
def document_thumbnail(request, code, doc_code):
    """Page 1 as a small PNG, for the vendor who owns it or staff of the office.

    A KTP thumbnail shows the NIK, so access is checked like a download, and a staff
    member's view is audited. The owner's own views are not: seeing one's own upload on
    one's own page discloses nothing to anyone else, and auditing it would put one more
    write on the (serialised) audit chain for every thumbnail on every page view.
    """
    document = _document_for_user(request.user, code, doc_code)
    if not document.thumbnail:
        raise Http404
    if document.registration.vendor_id != request.user.pk:
        _audit_access("document.viewed", document, request, rendition="thumbnail")
    response = FileResponse(default_storage.open(document.thumbnail.name, "rb"),
                            content_type="image/png")
    return private_file(response)  # a KTP thumbnail shows the NIK: never kept


def _poll_number(request, limit: int) -> int:
    """Which poll of a slot this is (the page counts them in ``?n=``; garbage counts as 0)."""
    try:
        return max(0, min(int(request.GET.get("n", "0")), limit)) + 1
    except ValueError:
        return 1


@never_cache
@require_GET
@login_required
def document_preview(request, code, doc_code):
    """The thumbnail slot of a card, asked for again until the worker has drawn it."""
    document = _document_for_user(request.user, code, doc_code)
    polls = _poll_number(request, PREVIEW_POLLS)
    return render(request, f"{CARD_TEMPLATE}#thumbnail", {
        "doc": document,
        "registration": document.registration,
        "poll_n": polls,
        "poll_delay": min(2 + polls, 10),
        "poll_stopped": polls >= PREVIEW_POLLS,
    })


@never_cache
@require_GET
@vendor_required
def document_check_status(request, code, doc_code):
    """The "sedang diperiksa" slot of a card, asked for until the worker's verdict; then
    the whole card (htmx retargets it), which asks no more."""
    registration = registration_for_vendor(request.user, code)
    document = get_object_or_404(Document.objects.select_related("document_type"),
                                 code=doc_code, registration=registration)
    if document.check_state != DocumentCheck.CHECKING:
        response = _card(request, registration, document.document_type)
        response["HX-Retarget"] = f"#doc-{document.document_type.code}"
        response["HX-Reswap"] = "outerHTML"
        return response
    polls = _poll_number(request, CHECK_POLLS)
    return render(request, f"{CARD_TEMPLATE}#checking", {
        "pending": document,
        "registration": registration,
        "poll_n": polls,
        "poll_delay": 1 if polls < 10 else min(polls - 8, 5),
        "poll_stopped": polls >= CHECK_POLLS,
    })
