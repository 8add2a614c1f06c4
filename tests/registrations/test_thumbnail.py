"""The page-1 thumbnail: drawn by the worker after the upload, shown to the vendor."""

import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from tests.conftest import assert_private_no_store, login, run_worker
from tests.core import pdf_corpus as corpus
from tests.registrations.factories import add_document, make_registration
from verifikasi.core.models import AuditEvent
from verifikasi.registrations.checking import (
    THUMBNAIL_WIDTH_PX,
    document_check,
    document_thumbnail_render,
)
from verifikasi.registrations.models import Document, DocumentCheck
from verifikasi.registrations.views.documents import PREVIEW_POLLS


@pytest.fixture
def registration_draft(vendor, office):
    return make_registration(vendor, office)


@pytest.fixture
def uploaded(vendor_client, registration_draft, tmp_path):
    """A KTP uploaded through the real view and checked (which queues the thumbnail task)."""
    with open(corpus.plain_pdf(tmp_path, pages=2), "rb") as f:
        response = vendor_client.post(
            reverse("document_upload", args=[registration_draft.code, "ktp"]), {"files": f})
    assert response.status_code == 302
    document = Document.objects.get()
    assert document_check(document.pk) == DocumentCheck.ACCEPTED
    document.refresh_from_db()
    return document


def thumbnail_url(document):
    return reverse("document_thumbnail", args=[document.registration.code, document.code])


def preview_url(document, n=0):
    url = reverse("document_preview", args=[document.registration.code, document.code])
    return f"{url}?n={n}"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_worker_draws_page_1_after_the_upload(uploaded):
    assert not uploaded.thumbnail

    run_worker()

    uploaded.refresh_from_db()
    assert uploaded.thumbnail.name.endswith("-p1.png")
    with default_storage.open(uploaded.thumbnail.name, "rb") as f:
        image = Image.open(io.BytesIO(f.read()))
    assert image.format == "PNG"
    assert image.width == THUMBNAIL_WIDTH_PX
    assert image.height > image.width  # an A4 page, upright


def test_a_run_that_was_killed_after_saving_leaves_no_file_behind(uploaded):
    # A worker saved the thumbnail and died before recording it on the document; the task
    # runs again: one thumbnail in the store, the one the document names.
    leftover = default_storage.save(uploaded.file.name.removesuffix(".pdf") + "-p1.png",
                                    io.BytesIO(b"\x89PNG half written"))

    assert document_thumbnail_render(uploaded.pk) == "rendered"

    uploaded.refresh_from_db()
    assert uploaded.thumbnail.name != leftover
    assert default_storage.exists(uploaded.thumbnail.name)
    assert not default_storage.exists(leftover)


def test_the_owner_gets_the_png(vendor_client, vendor, uploaded):
    run_worker()

    response = vendor_client.get(thumbnail_url(uploaded))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert body(response).startswith(b"\x89PNG")
    assert_private_no_store(response)  # a KTP thumbnail shows the NIK (issue 13)
    # Their own upload on their own page: not a disclosure, not audited (see the view).
    assert not AuditEvent.objects.filter(action="document.viewed").exists()


def test_the_office_verifier_sees_it_too_and_that_is_audited(client, verifier, uploaded):
    run_worker()
    login(client, verifier)

    response = client.get(thumbnail_url(uploaded))

    assert response.status_code == 200
    assert body(response).startswith(b"\x89PNG")
    event = AuditEvent.objects.get(action="document.viewed")
    assert (event.actor, event.object_id) == (verifier, str(uploaded.code))
    assert event.details["rendition"] == "thumbnail"
    assert event.details["version"] == 1


def test_another_vendor_gets_404(client, other_vendor, uploaded):
    run_worker()
    login(client, other_vendor)

    assert client.get(thumbnail_url(uploaded)).status_code == 404
    assert not AuditEvent.objects.filter(action="document.viewed").exists()


def test_it_is_404_until_the_worker_has_drawn_it(vendor_client, uploaded):
    assert vendor_client.get(thumbnail_url(uploaded)).status_code == 404


def test_the_card_shows_the_thumbnail_once_drawn(vendor_client, registration_draft, uploaded):
    page = reverse("registration_documents", args=[registration_draft.code])
    before = vendor_client.get(page).content.decode()
    assert "Pratinjau sedang disiapkan" in before
    assert thumbnail_url(uploaded) not in before

    run_worker()

    after = vendor_client.get(page).content.decode()
    assert f'<img src="{thumbnail_url(uploaded)}"' in after


def test_the_placeholder_asks_again_until_the_thumbnail_is_there(vendor_client, uploaded):
    waiting = vendor_client.get(preview_url(uploaded, n=0)).content.decode()
    assert 'hx-get="' in waiting
    assert "?n=1" in waiting
    assert 'hx-trigger="load delay:3s"' in waiting

    run_worker()

    done = vendor_client.get(preview_url(uploaded, n=1)).content.decode()
    assert "hx-get" not in done
    assert f'<img src="{thumbnail_url(uploaded)}"' in done


def test_the_placeholder_gives_up_after_a_while(vendor_client, uploaded):
    html = vendor_client.get(preview_url(uploaded, n=PREVIEW_POLLS)).content.decode()

    assert "hx-get" not in html
    assert "Pratinjau belum tersedia" in html


def test_rendering_twice_keeps_one_thumbnail(registration_draft, private_storage):
    doc = add_document(registration_draft, "npwp")

    assert document_thumbnail_render(doc.pk) == "rendered"
    assert document_thumbnail_render(doc.pk) == "exists"

    assert len(list(private_storage.rglob("*.png"))) == 1


def test_a_document_gone_before_the_worker_ran_is_skipped(db):
    assert document_thumbnail_render(999_999) == "missing"
