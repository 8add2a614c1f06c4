"""The NIK read from a KTP photo as a hint for the verifier (issue 20).

Parsing runs everywhere; reading generated KTP images needs Debian's tesseract-ocr and
tesseract-ocr-ind (scripts/test installs them as root) and is skipped, with the reason,
only when they are missing.
"""

import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.conftest import login, run_worker
from tests.registrations.factories import make_registration
from verifikasi.core.models import AuditEvent
from verifikasi.registrations import ktp_hint, ktp_sample, ocr, review_screen
from verifikasi.registrations.models import Document

NIK = "6104011201900001"  # the factories' director


def _tesseract_with_indonesian() -> bool:
    if shutil.which("tesseract") is None:
        return False
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                           check=False)
    return "ind" in (langs.stdout + langs.stderr).split()


needs_tesseract = pytest.mark.skipif(
    not _tesseract_with_indonesian() or not ktp_sample.fonts_available(),
    reason="OCR engine missing: install tesseract-ocr, tesseract-ocr-ind and "
           "fonts-dejavu-core (scripts/test does as root)")


@pytest.fixture
def ocr_on(settings):
    settings.OCR_ENABLED = True
    settings.OCR_TESSERACT_CMD = "tesseract"
    return settings


class TestParsing:
    @pytest.mark.parametrize("line", [
        "NIK : 6104011201900001",
        "NIK:6104011201900001",
        "NIK : 61O4O1I2O19OOOO1",  # O for 0, I for 1
        "N1K ; 6lO4OlI2Ol9OOOOl",
        "NIK : 6IO4OIIZOI9OOOOI",  # Z for 2
        "NIK : 6104 0112 0190 0001",  # split into groups
        "NIK : 6104-0112-0190-0001",
        "NIK :: 6104011201900001 |",
        "NIK : ,6104011201900001.",
    ])
    def test_it_reads_the_nik_through_ocr_noise(self, line):
        assert ktp_hint.nik_in_text(line) == NIK

    def test_it_fixes_b_and_s_for_8_and_5(self):
        assert ktp_hint.nik_in_text("NIK : 6IO4O5I2OBBSOOO1") == "6104051208850001"

    @pytest.mark.parametrize("line", [
        "NIK : 6104019901900001",  # day 99: no birth date
        "NIK : 610401120190000",  # fifteen digits
        "NIK : 9904011201900001",  # no such region
        "Nama : BUDI SANTOSO",
        "KABUPATEN KETAPANG",
        "",
    ])
    def test_it_reads_no_nik_from_what_is_not_one(self, line):
        assert ktp_hint.nik_in_text(line) == ""

    def test_the_line_labelled_nik_wins_and_gives_the_confidence(self):
        words = [ocr.Word("6171035008818205", 95, (1, 1, 9)),  # elsewhere on the page
                 ocr.Word("NIK", 90, (1, 1, 2)), ocr.Word(":", 40, (1, 1, 2)),
                 ocr.Word("6104", 80, (1, 1, 2)), ocr.Word("0112", 70, (1, 1, 2)),
                 ocr.Word("0190", 90, (1, 1, 2)), ocr.Word("0001", 80, (1, 1, 2))]
        assert ktp_hint.nik_from_words(words) == ktp_hint.NikReading(NIK, 80)

    def test_the_hint_says_same_or_different(self, vendor, office):
        registration = make_registration(vendor, office)
        ktp = office.document_types.get(code="ktp")
        document = Document(registration=registration, document_type=ktp, ocr_nik=NIK,
                            ocr_confidence=87, ocr_read_at="2026-12-05T10:00Z")
        hint = ktp_hint.nik_hint(registration, document)
        assert hint.sentence == f"{NIK} — sama dengan data perusahaan (keyakinan 87%)"
        registration.director_nik = "6104014507850002"
        assert ktp_hint.nik_hint(registration, document).sentence == \
            f"{NIK} — berbeda dengan data perusahaan (keyakinan 87%)"
        document.ocr_nik = ""
        assert "tidak terbaca" in ktp_hint.nik_hint(registration, document).sentence
        document.ocr_read_at = None
        assert ktp_hint.nik_hint(registration, document) is None


@needs_tesseract
class TestGeneratedImages:
    # Fixed seeds, so a change of the reading is seen; bench/ocr_rate.py gives the rate.
    @pytest.mark.parametrize("variant,seed", [("plain", 0), ("rotated", 1), ("blurred", 0),
                                              ("jpeg", 0)])
    def test_it_reads_the_nik_on_a_generated_ktp(self, ocr_on, tmp_path, variant, seed):
        from verifikasi.core import pdfcheck

        nik, jpeg = ktp_sample.ktp_photo(variant, seed=seed)
        (tmp_path / "ktp.jpg").write_bytes(jpeg)
        # As the app stores a photo: one A4 PDF page, rendered back for the engine.
        pdfcheck.images_to_pdf([tmp_path / "ktp.jpg"], tmp_path / "ktp.pdf")
        pdfcheck.render_page_png(tmp_path / "ktp.pdf", tmp_path / "ktp.png", page_index=0,
                                 width_px=ktp_hint.RENDER_WIDTH_PX)
        reading = ktp_hint.read_nik(tmp_path / "ktp.png")
        assert reading is not None and reading.nik == nik
        assert 50 <= reading.confidence <= 100


def upload_ktp(client, registration, jpeg: bytes, tmp_path, type_code="ktp"):
    path = tmp_path / "ktp.jpg"
    path.write_bytes(jpeg)
    with open(path, "rb") as f:
        response = client.post(reverse("document_upload", args=[registration.code, type_code]),
                               {"files": [f]})
    assert response.status_code in (200, 302), response.content[:500]
    run_worker()  # the file check, which queues the reading
    run_worker()
    return Document.objects.get(registration=registration, document_type__code=type_code)


@needs_tesseract
@pytest.mark.usefixtures("upload_temp_dir")
class TestEndToEnd:
    def test_an_uploaded_ktp_photo_is_read_and_shown_to_the_verifier(
            self, ocr_on, vendor_client, verifier, vendor, office, tmp_path):
        nik, jpeg = ktp_sample.ktp_photo("plain", seed=0)
        registration = make_registration(vendor, office, director_nik=nik)
        document = upload_ktp(vendor_client, registration, jpeg, tmp_path)
        assert (document.check_state, document.ocr_nik) == ("accepted", nik)
        assert document.ocr_confidence >= 50 and document.ocr_read_at is not None
        event = AuditEvent.objects.get(action="document.nik_read")
        assert event.details == {"registration": str(registration.code), "type": "ktp",
                                 "found": True}  # never the NIK itself
        registration.status = "submitted"
        registration.save()
        staff = login(Client(), verifier)
        response = staff.get(reverse("staff_review", args=[registration.code]))
        html = response.content.decode()
        assert (f"NIK pada KTP: {nik} — sama dengan data perusahaan "
                f"(keyakinan {document.ocr_confidence}%)") in html
        # Run again (a task queued twice): the reading stays, no second event.
        assert ktp_hint.document_nik_read(document.pk) == "done"
        assert AuditEvent.objects.filter(action="document.nik_read").count() == 1

    def test_a_different_nik_is_pointed_out(self, ocr_on, vendor_client, vendor, office,
                                            tmp_path):
        nik, jpeg = ktp_sample.ktp_photo("jpeg", seed=0)
        registration = make_registration(vendor, office)  # director NIK is another one
        upload_ktp(vendor_client, registration, jpeg, tmp_path)
        checks = {c.label: c for c in review_screen.automatic_checks(registration)}
        assert checks["NIK pada KTP"].ok is False
        assert checks["NIK pada KTP"].reason.startswith(f"{nik} — berbeda dengan data")


@pytest.mark.usefixtures("upload_temp_dir")
class TestWithoutEngine:
    def test_ocr_off_queues_no_reading(self, vendor_client, vendor, office, tmp_path,
                                       settings):
        settings.OCR_ENABLED = False
        _, jpeg = ktp_sample.ktp_photo("plain", seed=0)
        registration = make_registration(vendor, office)
        document = upload_ktp(vendor_client, registration, jpeg, tmp_path)
        assert document.check_state == "accepted"
        assert not DBTaskResult.objects.filter(task_path__endswith="document_nik_read").exists()
        assert document.ocr_read_at is None

    def test_an_absent_engine_gives_no_hint(self, ocr_on, vendor_client, vendor, office,
                                            tmp_path):
        ocr_on.OCR_TESSERACT_CMD = str(tmp_path / "no-such-tesseract")
        _, jpeg = ktp_sample.ktp_photo("plain", seed=0)
        registration = make_registration(vendor, office)
        document = upload_ktp(vendor_client, registration, jpeg, tmp_path)
        assert ktp_hint.document_nik_read(document.pk) == "unavailable"
        document.refresh_from_db()
        assert (document.ocr_read_at, document.ocr_nik) == (None, "")
        assert not AuditEvent.objects.filter(action="document.nik_read").exists()

    def test_a_hanging_engine_is_stopped_by_the_timeout(self, ocr_on, tmp_path, vendor,
                                                        office):
        fake = tmp_path / "slow-tesseract"
        fake.write_text("#!/bin/sh\n[ \"$1\" = --list-langs ] && echo ind && exit 0\n"
                        "[ \"$1\" = --version ] && echo fake && exit 0\nexec sleep 30\n")
        fake.chmod(0o755)
        ocr_on.OCR_TESSERACT_CMD = str(fake)
        ocr_on.OCR_TIMEOUT_SECONDS = 1
        with pytest.raises(ocr.OcrFailed, match="timed out after 1 s"):
            ocr.read_words(tmp_path / "ktp.png")


class TestHealthz:
    def test_it_says_when_the_engine_is_missing_without_failing(self, client, db, settings,
                                                                tmp_path):
        settings.OCR_ENABLED = True
        settings.OCR_TESSERACT_CMD = str(tmp_path / "no-such-tesseract")
        run_worker()
        response = client.get(reverse("healthz"))
        assert response.status_code == 200, response.json()
        line = response.json()["checks"]["ocr"]
        assert line["ok"] is True and line["available"] is False
        assert "not found" in line["detail"] and "tesseract-ocr-ind" in line["detail"]

    def test_it_says_when_ocr_is_switched_off(self, client, db, settings):
        settings.OCR_ENABLED = False
        line = client.get(reverse("healthz")).json()["checks"]["ocr"]
        assert line == {"ok": True, "available": False, "detail": "disabled (OCR_ENABLED=0)"}

    @needs_tesseract
    def test_it_names_the_engine_when_present(self, client, db, ocr_on):
        line = client.get(reverse("healthz")).json()["checks"]["ocr"]
        assert line["ok"] is True and line["available"] is True
        assert line["detail"].startswith("tesseract")
