"""B.5 with issue 14: the stored document is the normalized PDF, the upload's hash is kept,
and the verifier sees "diperbaiki" when normalizing repaired something."""

import hashlib
import importlib
from pathlib import Path

import pikepdf
import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils.html import escape

from tests.core import pdf_causes as causes
from tests.registrations.factories import add_document, make_registration, ready_to_submit
from tests.registrations.test_document_upload import (
    assert_refused_and_gone,
    card_after_check,
    stored_files,
    upload,
)
from verifikasi.core.pdfcheck import WARNING_CROP_BOX, WARNING_LEADING_DATA, WARNING_NO_EOF
from verifikasi.registrations import review_screen
from verifikasi.registrations.checking import document_thumbnail_render
from verifikasi.registrations.models import Document

pytestmark = pytest.mark.usefixtures("upload_temp_dir")


@pytest.fixture
def registration_draft(vendor, office):
    return make_registration(vendor, office)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_html_polyglot_is_stored_as_the_pdf_alone_with_the_uploads_hash(
        vendor_client, registration_draft, files, private_storage, upload_temp_dir):
    polyglot = causes.html_polyglot_pdf(files)

    response = upload(vendor_client, registration_draft, polyglot, htmx=True)

    assert response.status_code == 200
    doc = Document.objects.get()
    [stored] = [p for p in stored_files(private_storage) if p.suffix == ".pdf"]
    data = stored.read_bytes()
    assert data.startswith(b"%PDF-") and b"<html" not in data and b"<script" not in data
    assert doc.original_sha256 == sha256(polyglot)
    assert doc.sha256 == sha256(stored) != doc.original_sha256
    assert (doc.size, doc.page_count, doc.repaired) == (len(data), 2, True)
    assert doc.check_warnings == [WARNING_LEADING_DATA]
    assert "diperbaiki" in card_after_check(vendor_client, registration_draft)
    assert list(upload_temp_dir.iterdir()) == []


@pytest.mark.parametrize("make", [causes.indirect_length_pdf, causes.null_objects_pdf,
                                  causes.usage_rights_pdf, causes.autoprint_pdf],
                         ids=["indirect-length", "null-objects", "usage-rights", "autoprint"])
def test_a_good_pdf_once_refused_as_rusak_is_stored_unmarked(vendor_client, registration_draft,
                                                             files, make):
    response = upload(vendor_client, registration_draft, make(files))

    assert response.status_code == 302
    doc = Document.objects.get()
    assert (doc.repaired, doc.check_warnings) == (False, [])


def test_a_pdf_without_eof_is_stored_marked_diperbaiki(vendor_client, registration_draft, files):
    upload(vendor_client, registration_draft, causes.no_eof_pdf(files))

    doc = Document.objects.get()
    assert (doc.repaired, doc.check_warnings) == (True, [WARNING_NO_EOF])


def test_the_thumbnail_and_the_verifiers_page_come_from_the_normalized_file(
        vendor_client, verifier, registration_draft, files, private_storage):
    # As uploaded, PDFium refuses to draw this page ("crop exceeds page dimensions").
    source = causes.crop_box_past_media_box_pdf(files, box=(700, 0, 600, 842))
    upload(vendor_client, registration_draft, source)
    doc = Document.objects.get()
    assert doc.check_warnings == [WARNING_CROP_BOX]

    assert document_thumbnail_render(doc.pk) == "exists"  # the worker drew it after the check
    response = review_screen.document_page_response(document=doc, page=1, actor=verifier)

    assert response.status_code == 200
    with doc.file.open("rb") as f, pikepdf.open(f) as pdf:
        crop = [float(v) for v in pdf.pages[0].cropbox]
        media = [float(v) for v in pdf.pages[0].mediabox]
    assert crop == media  # the crop box was off the paper: the whole page is shown


def test_a_hostile_file_is_still_refused_and_its_bytes_are_not_kept(
        vendor_client, registration_draft, files, private_storage, upload_temp_dir):
    upload(vendor_client, registration_draft, causes.goto_remote_pdf(files), htmx=True)

    doc = Document.objects.get()
    assert_refused_and_gone(private_storage, upload_temp_dir, doc.check_message)
    assert "membuka berkas lain" in doc.check_message
    assert "membuka berkas lain" in card_after_check(vendor_client, registration_draft)


def test_the_verifier_sees_the_diperbaiki_mark_its_reason_and_both_hashes(
        verifier_client, vendor, office):
    submitted = ready_to_submit(vendor, office, status="submitted", review_round=1)
    doc = add_document(submitted, "ktp")
    Document.objects.filter(pk=doc.pk).update(
        repaired=True, check_warnings=[WARNING_LEADING_DATA], original_sha256="ab" * 32)

    html = verifier_client.get(reverse("staff_review", args=[submitted.code])).content.decode()

    badge = f'<span class="badge badge-warning" title="{escape(WARNING_LEADING_DATA)}">'
    assert badge + "diperbaiki</span>" in html
    assert WARNING_LEADING_DATA in html  # also in the checks panel
    assert "ababababab" in html and doc.sha256[:12] in html


def test_the_migration_records_the_stored_hash_as_the_original_of_earlier_uploads(
        registration_draft):
    migration = importlib.import_module(
        "verifikasi.registrations.migrations.0011_document_original_sha256")
    uploaded, photos = (
        add_document(registration_draft, "ktp"),
        add_document(registration_draft, "npwp"),
    )
    Document.objects.filter(pk=photos.pk).update(from_photos=True)

    migration.originals_were_stored(django_apps, None)

    uploaded.refresh_from_db()
    photos.refresh_from_db()
    assert uploaded.original_sha256 == uploaded.sha256 != ""
    assert photos.original_sha256 == ""
