"""B.5, B.8, C.3: an upload is "sedang diperiksa" until the worker's check, nobody but its
vendor sees it before then, the registration waits for the verdict, and the check may run
twice (a worker that died) without a second verdict."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from tests.conftest import login, run_worker
from tests.core import pdf_corpus as corpus
from tests.registrations.factories import (
    add_all_documents,
    add_document,
    make_registration,
    ready_to_submit,
)
from tests.registrations.test_document_upload import stored_files, upload
from verifikasi.core.models import AuditEvent
from verifikasi.core.pdfcheck import MESSAGES
from verifikasi.registrations import checking, workflow
from verifikasi.registrations.models import (
    Decision,
    Document,
    DocumentCheck,
    DocumentReview,
    RegistrationStatus,
)
from verifikasi.registrations.selectors import latest_documents, registration_checklist
from verifikasi.registrations.views.documents import CHECK_POLLS

pytestmark = pytest.mark.usefixtures("upload_temp_dir")


@pytest.fixture
def ready(vendor, office):
    """A draft with everything for B.8 but the KTP, which the vendor uploads in the test."""
    registration = ready_to_submit(vendor, office)
    ktp = Document.objects.get(registration=registration, document_type__code="ktp")
    ktp.file.delete(save=False)
    ktp.delete()
    return registration


def status_url(document, n=None):
    url = reverse("document_check_status", args=[document.registration.code, document.code])
    return url if n is None else f"{url}?n={n}"


def uploaded(client, registration, files, build=corpus.plain_pdf):
    """Upload through the view; the worker has not run yet."""
    upload(client, registration, build(files), htmx=True, check=False)
    return Document.objects.filter(registration=registration,
                                   document_type__code="ktp").latest("version")


# The states


def test_an_upload_is_sedang_diperiksa_with_its_bytes_as_sent_until_the_worker_runs(
        vendor_client, ready, files, private_storage):
    doc = uploaded(vendor_client, ready, files)

    assert doc.check_state == DocumentCheck.CHECKING
    assert (doc.file.name, doc.page_count, doc.checked_at) == ("", 0, None)
    [entry] = doc.incoming
    assert Path(private_storage, entry["name"]).is_file()
    [item] = [i for i in registration_checklist(ready) if i.document_type.code == "ktp"]
    assert (item.latest, item.pending) == (None, doc)
    assert "ktp" not in {d.document_type.code for d in latest_documents(ready).values()}

    assert checking.document_check(doc.pk) == DocumentCheck.ACCEPTED

    doc.refresh_from_db()
    assert doc.check_state == DocumentCheck.ACCEPTED and doc.checked_at is not None
    assert doc.incoming == [] and not Path(private_storage, entry["name"]).exists()
    assert Path(private_storage, doc.file.name).is_file()
    [item] = [i for i in registration_checklist(ready) if i.document_type.code == "ktp"]
    assert (item.latest, item.pending) == (doc, None)


def test_a_newer_upload_being_checked_does_not_replace_the_accepted_version(
        vendor_client, ready, files):
    first = add_document(ready, "ktp")
    second = uploaded(vendor_client, ready, files)

    assert latest_documents(ready)[first.document_type_id] == first
    [item] = [i for i in registration_checklist(ready) if i.document_type.code == "ktp"]
    assert (item.latest, item.pending) == (first, second)


# Idempotent: run twice, one verdict


def test_checking_twice_records_one_verdict(vendor_client, ready, files):
    doc = uploaded(vendor_client, ready, files)

    assert checking.document_check(doc.pk) == DocumentCheck.ACCEPTED
    doc.refresh_from_db()
    stored = (doc.file.name, doc.sha256)
    assert checking.document_check(doc.pk) == DocumentCheck.ACCEPTED

    doc.refresh_from_db()
    assert (doc.file.name, doc.sha256) == stored
    assert AuditEvent.objects.filter(action="document.checked").count() == 1
    thumbnails = DBTaskResult.objects.filter(task_path__endswith="document_thumbnail_render")
    assert thumbnails.count() == 1


def test_a_check_that_died_half_way_runs_again_over_what_it_left(
        vendor_client, ready, files, private_storage):
    doc = uploaded(vendor_client, ready, files)
    # A worker wrote the normalized file and died before recording the verdict.
    leftover = checking._stored_name(doc)
    default_storage.save(leftover, ContentFile(b"half-written"))

    assert checking.document_check(doc.pk) == DocumentCheck.ACCEPTED

    doc.refresh_from_db()
    assert doc.file.name == leftover  # replaced, not a second file beside it
    assert Path(private_storage, leftover).read_bytes().startswith(b"%PDF-")
    folder = Path(private_storage, leftover).parent
    assert [p.name for p in stored_files(folder)] == [Path(leftover).name]


def test_a_verdict_recorded_by_a_worker_that_died_before_cleaning_up_is_finished(
        vendor_client, ready, files, private_storage):
    doc = uploaded(vendor_client, ready, files)
    incoming = doc.incoming
    Document.objects.filter(pk=doc.pk).update(check_state=DocumentCheck.REFUSED,
                                              check_message="x")

    assert checking.document_check(doc.pk) == DocumentCheck.REFUSED

    doc.refresh_from_db()
    assert doc.incoming == []
    assert not Path(private_storage, incoming[0]["name"]).exists()
    assert not AuditEvent.objects.filter(action__in=["document.checked", "document.refused"])


def test_a_refused_file_is_refused_once_with_the_same_message_as_before(
        vendor_client, ready, files, private_storage):
    doc = uploaded(vendor_client, ready, files, build=corpus.javascript_pdf)

    assert checking.document_check(doc.pk) == DocumentCheck.REFUSED
    assert checking.document_check(doc.pk) == DocumentCheck.REFUSED

    doc.refresh_from_db()
    assert doc.check_message == MESSAGES["javascript"]
    assert AuditEvent.objects.filter(action="document.refused").count() == 1
    folder = Path(private_storage, "registrations", str(ready.code))
    assert stored_files(folder / "ktp") == stored_files(folder / "incoming") == []
    assert not DBTaskResult.objects.filter(task_path__endswith="document_thumbnail_render")


def test_a_document_gone_before_the_check_is_skipped(db):
    assert checking.document_check(987654) == "missing"


# Submitting waits for the verdict (the lifecycle map's condition)


def test_it_refuses_submit_while_a_document_is_being_checked(vendor_client, vendor, ready, files):
    doc = uploaded(vendor_client, ready, files)

    problems = workflow.problems("submit", ready, vendor)
    assert problems == [str(checking.ERR_STILL_CHECKING % {"name": doc.document_type.name})]
    response = vendor_client.post(reverse("registration_submit", args=[ready.code]), follow=True)
    ready.refresh_from_db()
    assert ready.status == RegistrationStatus.DRAFT
    assert "KTP sedang diperiksa" in response.content.decode()

    run_worker()

    assert workflow.problems("submit", ready, vendor) == []
    vendor_client.post(reverse("registration_submit", args=[ready.code]))
    ready.refresh_from_db()
    assert ready.status == RegistrationStatus.SUBMITTED


def test_it_refuses_submit_while_the_newest_upload_is_refused(vendor_client, vendor, ready, files):
    add_document(ready, "ktp")  # an accepted version, then a refused one
    upload(vendor_client, ready, corpus.javascript_pdf(files), htmx=True)

    [problem] = workflow.problems("submit", ready, vendor)
    assert problem.startswith("Berkas terakhir untuk KTP ditolak: " + MESSAGES["javascript"])
    with pytest.raises(workflow.WorkflowError):
        workflow.transition(ready, "submit", actor=vendor)


@pytest.fixture
def revision(vendor, office, verifier):
    """Sent back (C.3) with the KTP flagged "perlu perbaikan"."""
    registration = make_registration(vendor, office, status="revision_requested",
                                     review_round=1, assigned_to=verifier)
    add_all_documents(registration)
    ktp = registration.documents.get(document_type__code="ktp")
    DocumentReview.objects.create(registration=registration, round=1, document=ktp,
                                  document_type=ktp.document_type, decision=Decision.NEEDS_FIX,
                                  reviewer=verifier)
    return registration


def test_it_refuses_resubmit_while_the_replacement_is_being_checked(
        vendor_client, vendor, revision, files):
    registration = revision
    doc = uploaded(vendor_client, registration, files)

    assert workflow.problems("resubmit", registration, vendor) == [
        str(checking.ERR_STILL_CHECKING % {"name": doc.document_type.name})]

    run_worker()

    assert workflow.problems("resubmit", registration, vendor) == []


# Staff never see an unchecked document


def test_the_verifier_never_sees_an_upload_before_it_is_checked(
        client, verifier, revision, files, vendor_client):
    registration = revision
    ktp = registration.documents.get(document_type__code="ktp")
    doc = uploaded(vendor_client, registration, files)
    staff = login(client.__class__(), verifier)
    code = registration.code

    review = staff.get(reverse("staff_review", args=[code])).content.decode()
    assert str(doc.code) not in review and str(ktp.code) in review
    assert staff.get(reverse("document_download", args=[code, doc.code])).status_code == 404
    assert staff.get(reverse("document_thumbnail", args=[code, doc.code])).status_code == 404
    assert staff.get(reverse("document_preview", args=[code, doc.code])).status_code == 404
    assert staff.get(reverse("staff_document_page", args=[code, doc.code, 1])).status_code == 404
    assert staff.get(status_url(doc)).status_code == 403

    run_worker()

    doc.refresh_from_db()
    assert str(doc.code) in staff.get(reverse("staff_review", args=[code])).content.decode()
    assert staff.get(reverse("document_download", args=[code, doc.code])).status_code == 200
    assert staff.get(reverse("document_thumbnail", args=[code, doc.code])).status_code == 200


# The htmx fragment the card asks for


def test_the_fragment_asks_again_every_second_while_the_check_runs(vendor_client, ready, files):
    doc = uploaded(vendor_client, ready, files)

    response = vendor_client.get(status_url(doc, n=0), headers={"HX-Request": "true"})

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="doc-checking" role="status"')
    assert "Sedang diperiksa" in html
    assert f'hx-get="{escape(status_url(doc, n=1))}"' in html
    assert 'hx-trigger="load delay:1s"' in html
    assert "HX-Retarget" not in response
    assert "no-cache" in response["Cache-Control"]


def test_the_fragment_stops_asking_after_a_while(vendor_client, ready, files):
    doc = uploaded(vendor_client, ready, files)

    html = vendor_client.get(status_url(doc, n=CHECK_POLLS)).content.decode()

    assert "hx-get" not in html
    assert "Muat ulang halaman beberapa saat lagi" in html


def test_once_checked_the_fragment_is_the_whole_card_which_asks_no_more(
        vendor_client, ready, files):
    doc = uploaded(vendor_client, ready, files)
    checking.document_check(doc.pk)

    response = vendor_client.get(status_url(doc, n=3), headers={"HX-Request": "true"})

    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#doc-ktp", "outerHTML")
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card document" id="doc-ktp"')
    assert "Sudah diunggah" in html
    assert status_url(doc) not in html


def test_the_fragment_shows_the_refusal_and_the_form_again(vendor_client, ready, files):
    doc = uploaded(vendor_client, ready, files, build=corpus.launch_pdf)
    checking.document_check(doc.pk)

    html = vendor_client.get(status_url(doc)).content.decode()

    assert escape(MESSAGES["launch"]) in html
    assert "Berkas versi 1 ditolak." in html
    assert 'enctype="multipart/form-data"' in html


def test_another_vendor_gets_404_for_the_fragment(client, other_vendor, vendor_client, ready,
                                                 files):
    doc = uploaded(vendor_client, ready, files)

    assert login(client, other_vendor).get(status_url(doc)).status_code == 404


def test_the_vendor_home_says_which_document_is_being_checked_or_refused(vendor_client, ready,
                                                                        files):
    doc = uploaded(vendor_client, ready, files)

    assert "sedang diperiksa" in vendor_client.get(reverse("home")).content.decode()

    Document.objects.filter(pk=doc.pk).update(check_state=DocumentCheck.REFUSED)

    html = vendor_client.get(reverse("home")).content.decode()
    assert "berkas terakhir ditolak" in html and "sedang diperiksa" not in html
