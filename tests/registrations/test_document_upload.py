"""B.4–B.7: uploading a document through the real HTTP view, checked by the worker.

The upload is stored as sent and checked by the worker (``run_worker``); it counts only
if check_pdf accepts it. What can be refused without reading the content is refused at
once and leaves nothing behind: no Document row, no file in storage, no temporary file.
A file the check refuses keeps only its row with the Indonesian message; its bytes go.
"""

import hashlib
from pathlib import Path

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from tests.conftest import login, run_worker
from tests.core import pdf_corpus as corpus
from tests.registrations.factories import add_document, make_registration
from verifikasi.core.models import AuditEvent
from verifikasi.core.pdfcheck import MESSAGES, WARNING_RESTRICTIONS
from verifikasi.registrations import uploads
from verifikasi.registrations.models import Decision, Document, DocumentCheck, DocumentReview
from verifikasi.registrations.selectors import registration_checklist

pytestmark = pytest.mark.usefixtures("upload_temp_dir")


@pytest.fixture
def registration_draft(vendor, office):
    return make_registration(vendor, office)


def upload_url(registration_draft, type_code="ktp"):
    return reverse("document_upload", args=[registration_draft.code, type_code])


def upload(client, registration_draft, *paths, type_code="ktp", htmx=False, check=True):
    """Upload through the view, then (``check``) let the worker judge it, as it would."""
    handles = [open(p, "rb") for p in paths]  # noqa: SIM115 - closed below
    try:
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.post(upload_url(registration_draft, type_code), {"files": handles},
                               headers=headers)
    finally:
        for h in handles:
            h.close()
    if check:
        run_worker()
    return response


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def assert_nothing_stored(private_storage, upload_temp_dir):
    assert not Document.objects.exists()
    assert stored_files(private_storage) == []
    assert list(upload_temp_dir.iterdir()) == []
    assert not AuditEvent.objects.filter(action="document.uploaded").exists()
    # No work queued for a refused upload (the worker's own upkeep may queue the daily
    # retention job; that is not the upload's).
    assert not DBTaskResult.objects.filter(task_path__startswith="verifikasi.registrations.")


def assert_refused_and_gone(private_storage, upload_temp_dir, message):
    """The worker refused it: the row says why, the bytes as sent are destroyed."""
    doc = Document.objects.get()
    assert doc.check_state == DocumentCheck.REFUSED
    assert doc.check_message == str(message)
    assert (doc.file.name, doc.incoming, doc.page_count) == ("", [], 0)
    assert stored_files(private_storage) == []
    assert list(upload_temp_dir.iterdir()) == []
    assert AuditEvent.objects.filter(action="document.refused", object_id=str(doc.code)).exists()
    return doc


def card_after_check(client, registration_draft, type_code="ktp") -> str:
    """What the vendor's card shows once the worker has judged (htmx asks for it)."""
    doc = Document.objects.filter(document_type__code=type_code).order_by("-version").first()
    response = client.get(reverse("document_check_status", args=[registration_draft.code,
                                                                 doc.code]),
                          headers={"HX-Request": "true"})
    assert response["HX-Retarget"] == f"#doc-{type_code}"
    return response.content.decode()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# Accepted files


def test_it_stores_a_pdf_with_its_hash_size_pages_and_uploader(
        vendor_client, vendor, registration_draft, files, private_storage, upload_temp_dir):
    pdf = corpus.plain_pdf(files, pages=3, name="KTP Budi.pdf")

    response = upload(vendor_client, registration_draft, pdf)

    assert response.status_code == 302
    doc = Document.objects.get()
    assert (doc.registration, doc.document_type.code, doc.version) == (registration_draft, "ktp", 1)
    assert doc.original_sha256 == sha256(pdf)
    assert doc.page_count == 3
    assert (doc.repaired, doc.from_photos) == (False, False)
    assert doc.uploaded_by == vendor
    assert doc.original_name == "KTP Budi.pdf"
    assert doc.check_state == DocumentCheck.ACCEPTED
    # Stored under a random name, never the vendor's, as the normalized PDF (qpdf's rewrite);
    # the bytes as sent are gone once checked (beside it: the thumbnail the worker drew).
    assert doc.incoming == []
    stored = Path(private_storage, doc.file.name)
    assert stored_files(private_storage) == sorted([stored, Path(private_storage,
                                                                 doc.thumbnail.name)])
    assert "Budi" not in str(stored)
    assert doc.sha256 == sha256(stored)
    assert doc.size == stored.stat().st_size
    assert stored.read_bytes().startswith(b"%PDF-")
    assert stored.read_bytes() != pdf.read_bytes()
    assert list(upload_temp_dir.iterdir()) == []


def test_it_writes_the_audit_event_and_queues_the_check_with_the_upload(
        vendor_client, vendor, registration_draft, files):
    pdf = corpus.plain_pdf(files, pages=2)
    upload(vendor_client, registration_draft, pdf, check=False)

    doc = Document.objects.get()
    assert doc.check_state == DocumentCheck.CHECKING
    event = AuditEvent.objects.get(action="document.uploaded")
    assert (event.actor, event.office, event.object_id) == (vendor, registration_draft.office,
                                                            str(doc.code))
    assert event.details["type"] == "ktp"
    assert event.details["version"] == 1
    task = DBTaskResult.objects.get()
    assert task.task_path == "verifikasi.registrations.tasks.document_check"
    assert task.args_kwargs["args"] == [doc.pk]

    run_worker()

    doc.refresh_from_db()
    checked = AuditEvent.objects.get(action="document.checked")
    assert checked.actor is None and checked.object_id == str(doc.code)
    # The worker hashes the bytes as sent while it reads them back for the check.
    assert checked.details["original_sha256"] == doc.original_sha256 == sha256(pdf)
    assert checked.details["sha256"] == doc.sha256
    assert checked.details["pages"] == 2
    assert checked.details["repaired"] is False
    thumbnail = DBTaskResult.objects.get(task_path__endswith="document_thumbnail_render")
    assert thumbnail.args_kwargs["args"] == [doc.pk]


def test_without_htmx_it_redirects_back_to_the_card_with_a_message(
    vendor_client, registration_draft, files
):
    response = upload(vendor_client, registration_draft, corpus.plain_pdf(files))

    documents = reverse("registration_documents", args=[registration_draft.code])
    assert response["Location"] == f"{documents}#doc-ktp"
    page = vendor_client.get(documents)
    assert "KTP" in page.content.decode()
    assert "terkirim (versi 1) dan sedang diperiksa" in page.content.decode()


def test_with_htmx_it_returns_the_card_alone_sedang_diperiksa(vendor_client, registration_draft,
                                                              files):
    response = upload(
        vendor_client, registration_draft, corpus.plain_pdf(files, pages=2), htmx=True,
        check=False)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card document" id="doc-ktp"')
    assert "<html" not in html
    assert "Sedang diperiksa" in html
    assert "Sudah diunggah" not in html
    doc = Document.objects.get()
    assert reverse("document_check_status", args=[registration_draft.code, doc.code]) in html
    assert reverse("document_download", args=[registration_draft.code, doc.code]) not in html
    assert "HX-Request" in response["Vary"]


def test_the_card_shows_the_verdict_once_checked(vendor_client, registration_draft, files):
    upload(vendor_client, registration_draft, corpus.plain_pdf(files, pages=2), htmx=True)

    html = card_after_check(vendor_client, registration_draft)
    assert html.lstrip().startswith('<section class="card document" id="doc-ktp"')
    assert "Sudah diunggah" in html
    assert "2 halaman" in html
    assert "Versi 1" in html
    assert "Sedang diperiksa" not in html
    doc = Document.objects.get()
    assert reverse("document_download", args=[registration_draft.code, doc.code]) in html
    assert reverse("document_check_status", args=[registration_draft.code, doc.code]) not in html


def test_it_accepts_a_pdf_with_only_an_owner_password(vendor_client, registration_draft, files):
    response = upload(
        vendor_client, registration_draft, corpus.owner_password_pdf(files), htmx=True
    )

    assert response.status_code == 200
    doc = Document.objects.get()
    assert doc.repaired is False
    assert doc.check_warnings == [WARNING_RESTRICTIONS]
    assert "diperbaiki" not in response.content.decode()


def test_it_accepts_a_pdf_with_a_damaged_xref_and_marks_it_diperbaiki(vendor_client,
                                                                      registration_draft, files):
    upload(vendor_client, registration_draft, corpus.damaged_xref_pdf(files), htmx=True)

    doc = Document.objects.get()
    assert doc.repaired is True
    assert doc.page_count == 2
    assert '<span class="badge badge-warning">diperbaiki</span>' in card_after_check(
        vendor_client, registration_draft)
    assert "diperbaiki" in vendor_client.get(
        reverse("registration_documents", args=[registration_draft.code])).content.decode()


def test_two_photos_become_one_two_page_pdf(vendor_client, registration_draft, files,
                                            private_storage):
    photos = [corpus.photo_jpeg(files, "akta-1.jpg"), corpus.photo_jpeg(files, "akta-2.jpg")]

    response = upload(vendor_client, registration_draft, *photos, htmx=True)

    assert response.status_code == 200
    doc = Document.objects.get()
    assert doc.page_count == 2
    assert doc.from_photos is True
    assert doc.original_name == "akta-1.jpg, akta-2.jpg"
    stored = Path(private_storage, doc.file.name)
    assert stored_files(private_storage) == sorted([stored, Path(private_storage,
                                                                 doc.thumbnail.name)])
    assert stored.read_bytes().startswith(b"%PDF-")
    assert doc.sha256 == sha256(stored)
    assert doc.size == stored.stat().st_size
    assert doc.original_sha256 == ""  # several photos, no one original
    event = AuditEvent.objects.get(action="document.checked")
    assert event.details["photo_sha256s"] == [sha256(p) for p in photos]
    assert "dari foto" in card_after_check(vendor_client, registration_draft)


def test_a_heic_photo_from_an_iphone_becomes_a_pdf(vendor_client, registration_draft, files):
    upload(vendor_client, registration_draft, corpus.photo_heic(files))

    doc = Document.objects.get()
    assert (doc.page_count, doc.from_photos) == (1, True)


def test_a_pdf_without_the_pdf_extension_is_still_checked_as_a_pdf(vendor_client,
                                                                   registration_draft, files):
    pdf = corpus.plain_pdf(files, pages=1)
    renamed = pdf.rename(files / "scan")

    upload(vendor_client, registration_draft, renamed)

    assert Document.objects.get().from_photos is False


def test_a_re_upload_is_a_new_version_and_the_old_one_is_kept(vendor_client, registration_draft,
                                                              files, private_storage):
    upload(vendor_client, registration_draft, corpus.plain_pdf(files, pages=1, name="lama.pdf"))
    upload(vendor_client, registration_draft, corpus.plain_pdf(files, pages=4, name="baru.pdf"),
           htmx=True)

    first, second = Document.objects.order_by("version")
    assert (first.version, second.version) == (1, 2)
    assert Path(private_storage, first.file.name).is_file()
    assert Path(private_storage, second.file.name).is_file()
    [item] = [
        i for i in registration_checklist(registration_draft) if i.document_type.code == "ktp"
    ]
    assert item.latest == second
    html = card_after_check(vendor_client, registration_draft)
    assert "Versi 2" in html
    assert "4 halaman" in html
    assert "1 versi sebelumnya tetap tersimpan" in html


# Refused files: each with its own message; the bytes are not kept


def _bomb(folder):
    return corpus.inflate_bomb_pdf(folder, megabytes=300)


BAD_FILES = [
    pytest.param(corpus.empty_file, "empty", id="empty"),
    pytest.param(corpus.png_named_pdf, "not_pdf", id="png-renamed-pdf"),
    pytest.param(corpus.html_named_pdf, "not_pdf", id="html-renamed-pdf"),
    pytest.param(corpus.zip_named_pdf, "not_pdf", id="zip"),
    pytest.param(corpus.user_password_pdf, "encrypted", id="password"),
    pytest.param(corpus.truncated_pdf, "corrupt", id="cut-in-half"),
    pytest.param(corpus.javascript_pdf, "javascript", id="javascript"),
    pytest.param(corpus.launch_pdf, "launch", id="launch-action"),
    pytest.param(corpus.embedded_file_pdf, "embedded_files", id="embedded-file"),
    pytest.param(lambda f: corpus.huge_page_pdf(f, width_inches=200), "page_too_large",
                 id="page-200-inches-wide"),
    pytest.param(_bomb, "inflate_bomb", id="inflates-to-300-mb"),
    pytest.param(corpus.text_file, "not_image", id="text-named-jpg"),
]


@pytest.mark.parametrize("build, code", BAD_FILES)
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_it_refuses_a_bad_file_with_its_own_message_and_keeps_no_bytes(
        vendor_client, registration_draft, files, private_storage, upload_temp_dir, build, code,
        htmx):
    response = upload(vendor_client, registration_draft, build(files), htmx=htmx)

    if code == "empty":  # refused at once, before anything is stored
        assert response.status_code == (422 if htmx else 302)
        assert_nothing_stored(private_storage, upload_temp_dir)
        return
    assert response.status_code == (200 if htmx else 302)
    assert_refused_and_gone(private_storage, upload_temp_dir, MESSAGES[code])
    if htmx:
        html = card_after_check(vendor_client, registration_draft)
        assert escape(MESSAGES[code]) in html
        assert 'role="alert"' in html
        assert "Berkas versi 1 ditolak." in html
    else:
        page = vendor_client.get(response["Location"])
        assert escape(MESSAGES[code]) in page.content.decode()


def test_it_refuses_a_file_over_the_size_limit_while_it_streams_in(
        vendor_client, registration_draft, files, private_storage, upload_temp_dir, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    big = corpus.plain_pdf(files, pages=30)
    assert big.stat().st_size > 2048

    response = upload(vendor_client, registration_draft, big, htmx=True)

    assert response.status_code == 422
    html = response.content.decode()
    assert escape(MESSAGES["too_big"]) in html
    assert "Batas ukuran: 2,0\xa0KB per berkas." in html
    assert_nothing_stored(private_storage, upload_temp_dir)


def test_it_names_the_size_limit_in_megabytes(vendor_client, registration_draft, files, settings):
    settings.UPLOAD_MAX_BYTES = 1 * 1024 * 1024
    big = files / "besar.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10) + b"\n%%EOF\n")

    response = upload(vendor_client, registration_draft, big, htmx=True)

    assert "Batas ukuran: 1 MB per berkas." in response.content.decode()


def test_it_refuses_a_pdf_over_the_page_limit(vendor_client, registration_draft, files,
                                              private_storage, upload_temp_dir, settings):
    settings.UPLOAD_MAX_PAGES = 2

    upload(vendor_client, registration_draft, corpus.plain_pdf(files, pages=3), htmx=True)

    doc = assert_refused_and_gone(private_storage, upload_temp_dir,
                                  f"{MESSAGES['too_many_pages']} Batas: 2 halaman.")
    assert "Batas: 2 halaman." in card_after_check(vendor_client, registration_draft)
    assert doc.version == 1


@pytest.mark.parametrize("kind", ["mixed", "two-pdfs"])
def test_it_refuses_a_pdf_together_with_other_files(vendor_client, registration_draft, files,
                                                    private_storage, upload_temp_dir, kind):
    pdf = corpus.plain_pdf(files, pages=1)
    other = (corpus.photo_jpeg(files, "foto.jpg") if kind == "mixed"
             else corpus.plain_pdf(files, pages=1, name="kedua.pdf"))

    response = upload(vendor_client, registration_draft, pdf, other, htmx=True)

    assert response.status_code == 422
    expected = uploads.ERR_MIXED if kind == "mixed" else uploads.ERR_SEVERAL_PDFS
    assert escape(str(expected)) in response.content.decode()
    assert_nothing_stored(private_storage, upload_temp_dir)


def test_it_refuses_too_many_photos(vendor_client, registration_draft, files, private_storage,
                                    upload_temp_dir):
    photos = [corpus.photo_jpeg(files, f"hal-{n}.jpg", size=(40, 30))
              for n in range(uploads.MAX_PHOTOS + 1)]

    response = upload(vendor_client, registration_draft, *photos, htmx=True)

    assert response.status_code == 422
    assert "paling banyak 20 foto" in response.content.decode()
    assert_nothing_stored(private_storage, upload_temp_dir)


def test_it_names_the_photo_it_cannot_read(vendor_client, registration_draft, files,
                                           private_storage, upload_temp_dir):
    good = corpus.photo_jpeg(files, "hal-1.jpg")
    bad = corpus.text_file(files, "hal-2.jpg")

    upload(vendor_client, registration_draft, good, bad, htmx=True)

    doc = Document.objects.get()
    assert doc.check_message.startswith("Foto “hal-2.jpg”")
    assert_refused_and_gone(private_storage, upload_temp_dir, doc.check_message)
    assert "Foto “hal-2.jpg”" in card_after_check(vendor_client, registration_draft)


def test_it_asks_for_a_file_when_none_was_chosen(vendor_client, registration_draft,
                                                 private_storage, upload_temp_dir):
    response = vendor_client.post(
        upload_url(registration_draft), {}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 422
    assert escape(str(uploads.ERR_NO_FILE)) in response.content.decode()
    assert_nothing_stored(private_storage, upload_temp_dir)


def test_it_refuses_a_document_that_does_not_apply_to_this_registration(
        vendor_client, registration_draft, files, private_storage, upload_temp_dir):
    assert registration_draft.has_akta_pendirian is False

    response = upload(vendor_client, registration_draft, corpus.plain_pdf(files),
                      type_code="akta_pendirian", htmx=True)

    assert response.status_code == 422
    assert escape(str(uploads.ERR_NOT_APPLICABLE)) in response.content.decode()
    assert_nothing_stored(private_storage, upload_temp_dir)


def test_an_unknown_document_type_is_404(vendor_client, registration_draft, files):
    response = upload(vendor_client, registration_draft, corpus.plain_pdf(files), type_code="sim")

    assert response.status_code == 404
    assert not Document.objects.exists()


def test_nothing_is_stored_when_the_transaction_fails(vendor_client, registration_draft, files,
                                                      private_storage, upload_temp_dir,
                                                      monkeypatch):
    def broken_audit(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(uploads, "audit_log", broken_audit)
    vendor_client.raise_request_exception = True

    with pytest.raises(RuntimeError):
        upload(vendor_client, registration_draft, corpus.plain_pdf(files))

    assert_nothing_stored(private_storage, upload_temp_dir)


def test_a_version_clash_is_refused_cleanly(vendor_client, registration_draft, files,
                                            private_storage, upload_temp_dir, monkeypatch):
    def clash(self, *args, **kwargs):
        raise IntegrityError("document_unique_version")

    monkeypatch.setattr(Document, "save", clash)

    response = upload(vendor_client, registration_draft, corpus.plain_pdf(files), htmx=True)

    assert response.status_code == 422
    assert escape(str(uploads.ERR_CONCURRENT)) in response.content.decode()
    assert stored_files(private_storage) == []
    assert list(upload_temp_dir.iterdir()) == []


# Locked after submitting, and who may upload


@pytest.mark.parametrize("status", ["submitted", "documents_accepted", "scheduled"])
def test_it_refuses_uploads_after_submitting(vendor_client, vendor, office, files,
                                             private_storage, upload_temp_dir, status):
    registration_draft = make_registration(vendor, office, status=status)

    response = upload(vendor_client, registration_draft, corpus.plain_pdf(files))

    assert response.status_code == 403
    assert "sudah diajukan" in response.content.decode()
    assert_nothing_stored(private_storage, upload_temp_dir)


def test_after_submitting_htmx_gets_the_locked_card_with_the_reason(vendor_client, vendor,
                                                                    office, files):
    registration_draft = make_registration(vendor, office, status="submitted")

    response = upload(vendor_client, registration_draft, corpus.plain_pdf(files), htmx=True)

    assert response.status_code == 403
    html = response.content.decode()
    assert "sudah diajukan" in html
    assert "<form" not in html
    assert not Document.objects.exists()


@pytest.fixture
def registration_revision_requested(vendor, office, verifier):
    """Sent back by the verifier (C.3) with only the NPWP marked "perlu perbaikan"."""
    registration_draft = make_registration(vendor, office, status="revision_requested",
                                     review_round=1)
    for code in ["ktp", "npwp", "nib"]:
        doc = add_document(registration_draft, code)
        DocumentReview.objects.create(
            registration=registration_draft, round=1, document_type=doc.document_type, document=doc,
            decision=Decision.NEEDS_FIX if code == "npwp" else Decision.ACCEPTED,
            reviewer=verifier)
    return registration_draft


def test_in_a_revision_the_flagged_document_takes_a_new_version(
    vendor_client, registration_revision_requested, files
):
    response = upload(
        vendor_client,
        registration_revision_requested,
        corpus.plain_pdf(files, pages=2),
        type_code="npwp",
        htmx=True,
    )

    assert response.status_code == 200
    assert "Versi 2" in response.content.decode()
    assert '<form class="upload"' in response.content.decode()  # may try again
    latest = Document.objects.filter(
        registration=registration_revision_requested, document_type__code="npwp"
    )
    assert latest.order_by("-version").first().version == 2


def test_in_a_revision_the_accepted_documents_stay_locked(
    vendor_client, registration_revision_requested, files
):
    response = upload(
        vendor_client, registration_revision_requested, corpus.plain_pdf(files), type_code="ktp"
    )

    assert response.status_code == 403
    assert escape(str(uploads.ERR_NOT_FLAGGED)) in response.content.decode()
    assert Document.objects.filter(registration=registration_revision_requested).count() == 3


def test_the_upload_url_is_post_only(vendor_client, registration_draft):
    assert vendor_client.get(upload_url(registration_draft)).status_code == 405


def test_another_vendor_gets_404_and_nothing_is_stored(client, other_vendor, registration_draft,
                                                       files, private_storage,
                                                       upload_temp_dir):
    login(client, other_vendor)

    response = upload(client, registration_draft, corpus.plain_pdf(files))

    assert response.status_code == 404
    assert_nothing_stored(private_storage, upload_temp_dir)


def test_an_anonymous_visitor_is_sent_to_login(client, registration_draft, files, private_storage,
                                               upload_temp_dir):
    response = upload(client, registration_draft, corpus.plain_pdf(files))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert_nothing_stored(private_storage, upload_temp_dir)


def test_staff_cannot_upload_for_a_vendor(verifier_client, registration_draft, files):
    assert upload(verifier_client, registration_draft, corpus.plain_pdf(files)).status_code == 403
    assert not Document.objects.exists()


def test_the_upload_needs_the_csrf_token(vendor, registration_draft, files, private_storage,
                                         upload_temp_dir):
    client = login(Client(enforce_csrf_checks=True), vendor)

    response = upload(client, registration_draft, corpus.plain_pdf(files))

    assert response.status_code == 403
    assert_nothing_stored(private_storage, upload_temp_dir)


def test_the_csrf_token_in_the_form_is_enough(vendor, registration_draft, files):
    client = login(Client(enforce_csrf_checks=True), vendor)
    page = client.get(reverse("registration_documents", args=[registration_draft.code]))
    token = page.context["csrf_token"]

    with open(corpus.plain_pdf(files), "rb") as f:
        response = client.post(upload_url(registration_draft),
                               {"csrfmiddlewaretoken": str(token), "files": f})

    assert response.status_code == 302
    assert Document.objects.count() == 1


# The card


def test_the_documents_page_shows_the_upload_form_for_each_document(vendor_client,
                                                                    registration_draft):
    html = vendor_client.get(reverse("registration_documents", args=[registration_draft.code])
                             ).content.decode()

    for code in ["ktp", "npwp", "nib"]:
        assert f'action="{upload_url(registration_draft, code)}"' in html
        assert f'hx-post="{upload_url(registration_draft, code)}"' in html
    assert 'accept="application/pdf,image/jpeg,image/png,image/heic,image/heif' in html
    assert 'capture="environment"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "<progress" in html
    assert html.count("verifikasi/upload.js") == 1


def test_the_card_shows_no_form_once_submitted(vendor_client, vendor, office):
    registration_draft = make_registration(vendor, office, status="submitted")
    add_document(registration_draft, "ktp")

    html = vendor_client.get(reverse("registration_documents", args=[registration_draft.code])
                             ).content.decode()

    assert "Sudah diunggah" in html
    assert "<form class=\"upload\"" not in html
