"""Uploads whose body nginx stored and handed over by name (X-Upload-Body-File, docs/deploy.md
§ 9): the same document and verdict as when the application reads the body itself; the
header believed only from a trusted proxy for a plain file inside UPLOAD_BODY_DIR; what is
refused at once changes nothing; the worker takes the body apart in bounded memory.

The "nginx file" is written by the test into UPLOAD_BODY_DIR, exactly as nginx's
``client_body_in_file_only`` leaves it (the raw multipart body), and the request comes with
no body, as ``proxy_pass_request_body off`` sends it.
"""

import io
import os
import tracemalloc
from itertools import count
from pathlib import Path

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.client import BOUNDARY, encode_multipart
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from tests.conftest import login, make_user, run_worker
from tests.core import pdf_corpus as corpus
from tests.registrations.factories import make_registration
from tests.registrations.test_document_upload import stored_files, upload
from verifikasi.core.models import AuditEvent
from verifikasi.core.multipart import BodyReader, Truncated
from verifikasi.core.pdfcheck import MESSAGES
from verifikasi.registrations import handoff, uploads
from verifikasi.registrations.models import Document, DocumentCheck

pytestmark = pytest.mark.usefixtures("upload_temp_dir")

CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"
_names = count(1)


def body_of(*paths: Path, token: str = "x" * 64) -> bytes:
    """The multipart body a browser sends for the form (token field, then the files)."""
    files = [SimpleUploadedFile(p.name, p.read_bytes(), _type(p)) for p in paths]
    return encode_multipart(BOUNDARY, {"csrfmiddlewaretoken": token, "files": files})


def _type(path: Path) -> str:
    return {".pdf": "application/pdf", ".jpg": "image/jpeg", ".heic": "image/heic"}.get(
        path.suffix, "application/octet-stream")


def nginx_file(body_dir: Path, body: bytes) -> Path:
    path = body_dir / f"{next(_names):010d}"
    path.write_bytes(body)
    return path


def handed(client, registration, path, *, htmx=True, content_type=CONTENT_TYPE,
           check=True, **extra):
    """POST as nginx passes it on: no body, the stored body's name in the header."""
    headers = {"X-Upload-Body-File": str(path), **({"HX-Request": "true"} if htmx else {})}
    # With no body Django's test client leaves the Content-Type out; nginx passes it on.
    response = client.generic("POST", reverse("document_upload", args=[registration.code, "ktp"]),
                              headers=headers, CONTENT_TYPE=content_type, **extra)
    if check:
        run_worker()
    return response


def big_pdf(folder: Path, size: int, name: str = "akta-besar.pdf") -> Path:
    """A PDF check_pdf accepts, ``size`` bytes of uncompressed noise (beyond the head)."""
    pdf = pikepdf.new()
    width = 200
    image = pikepdf.Stream(pdf, os.urandom(width * (size // (3 * width)) * 3))
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height = width, size // (3 * width)
    image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceRGB, 8
    page = pdf.add_blank_page(page_size=(595, 842))
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.Contents = pdf.make_stream(b"q 595 0 0 842 0 0 cm /Im0 Do Q")
    path = folder / name
    pdf.save(path, compress_streams=False)
    return path


# Not the normalized file's own hash: qpdf writes a fresh /ID into every rewrite.
FIELDS = ("version", "check_state", "check_message", "original_name", "from_photos", "size",
          "page_count", "original_sha256", "repaired", "check_warnings")


def outcome(registration) -> tuple | None:
    doc = Document.objects.filter(registration=registration).order_by("-version").first()
    return None if doc is None else tuple(getattr(doc, f) for f in FIELDS)


def _two_photos(folder):
    return [corpus.photo_jpeg(folder, "akta-1.jpg"), corpus.photo_jpeg(folder, "akta-2.jpg")]


CASES = [
    pytest.param(lambda f: [corpus.plain_pdf(f, pages=2, name="KTP Budi.pdf")], id="pdf"),
    pytest.param(lambda f: [big_pdf(f, 300 * 1024)], id="pdf-beyond-the-head"),
    pytest.param(_two_photos, id="two-photos"),
    pytest.param(lambda f: [corpus.javascript_pdf(f)], id="javascript"),
    pytest.param(lambda f: [corpus.truncated_pdf(f)], id="cut-in-half"),
    pytest.param(lambda f: [corpus.zip_named_pdf(f)], id="zip"),
    pytest.param(lambda f: [corpus.empty_file(f)], id="empty"),
    pytest.param(lambda f: [corpus.plain_pdf(f), corpus.photo_jpeg(f, "foto.jpg")], id="mixed"),
    pytest.param(lambda f: [corpus.photo_jpeg(f, "hal-1.jpg"), corpus.text_file(f, "hal-2.jpg")],
                 id="unreadable-photo"),
]


@pytest.mark.parametrize("build", CASES)
def test_a_handed_body_gives_the_same_document_and_verdict_as_a_normal_upload(
        vendor_client, vendor, office, files, body_dir, private_storage, upload_temp_dir, build):
    paths = build(files)
    normal = make_registration(vendor, office)
    via_nginx = make_registration(vendor, office, npwp="0023000666091000")

    plain = upload(vendor_client, normal, *paths, htmx=True)
    stored_body = nginx_file(body_dir, body_of(*paths))
    response = handed(vendor_client, via_nginx, stored_body)

    assert response.status_code == plain.status_code
    assert outcome(via_nginx) == outcome(normal)
    if plain.status_code == 422:  # refused at once: the same message, nothing recorded
        message = plain.content.decode().split('role="alert">')[1].split("<")[0]
        assert message in response.content.decode()
        assert not Document.objects.filter(registration=via_nginx).exists()
        assert stored_body.exists()  # left for nginx to delete (client_body_in_file_only clean)
    else:
        assert not stored_body.exists()  # moved into the storage, nothing for nginx to delete
        doc = Document.objects.get(registration=via_nginx)
        assert doc.incoming == [] and doc.check_state != DocumentCheck.CHECKING
    assert list(upload_temp_dir.iterdir()) == []


def test_the_body_is_moved_into_the_storage_not_copied(vendor_client, vendor, office, files,
                                                       body_dir, private_storage):
    registration = make_registration(vendor, office)
    stored_body = nginx_file(body_dir, body_of(corpus.plain_pdf(files)))
    inode = stored_body.stat().st_ino

    response = handed(vendor_client, registration, stored_body, check=False)

    assert response.status_code == 200, response.content.decode()
    assert "Sedang diperiksa" in response.content.decode()
    doc = Document.objects.get()
    assert doc.check_state == DocumentCheck.CHECKING
    [entry] = doc.incoming
    moved = Path(private_storage, entry["name"])
    assert moved.stat().st_ino == inode and not stored_body.exists()
    assert entry["multipart"] == BOUNDARY
    task = DBTaskResult.objects.get(task_path="verifikasi.registrations.tasks.document_check")
    assert task.args_kwargs["args"] == [doc.pk]
    assert AuditEvent.objects.filter(action="document.uploaded").count() == 1


def test_the_handed_upload_does_not_ask_the_database_more_than_it_must(
        vendor_client, vendor, office, files, body_dir):
    registration = make_registration(vendor, office)
    pdf = corpus.plain_pdf(files)
    handed(vendor_client, registration, nginx_file(body_dir, body_of(pdf)), check=False)
    stored_body = nginx_file(body_dir, body_of(pdf))

    with CaptureQueriesContext(connection) as queries:
        response = handed(vendor_client, registration, stored_body, check=False)

    assert response.status_code == 200
    # Session, user, registration, document type; in the transaction: lock, version,
    # insert, the audit chain (3: no savepoint of its own), the task; then the accepted
    # version for the card. No query for the other document types, the office or the new
    # version. (The test's own transaction makes the upload's a savepoint.)
    sql = [q["sql"] for q in queries.captured_queries
           if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert len(sql) == 12, "\n".join(sql)


def test_csrf_is_checked_from_the_header_without_the_body(vendor, office, files, body_dir):
    registration = make_registration(vendor, office)
    client = login(Client(enforce_csrf_checks=True), vendor)
    token = client.get(reverse("registration_documents", args=[registration.code])).cookies[
        "csrftoken"].value
    pdf = corpus.plain_pdf(files)

    refused = handed(client, registration, nginx_file(body_dir, body_of(pdf)), check=False)
    accepted = handed(client, registration, nginx_file(body_dir, body_of(pdf)), check=False,
                      HTTP_X_CSRFTOKEN=token)

    assert refused.status_code == 403
    assert accepted.status_code == 200
    assert Document.objects.filter(registration=registration).count() == 1


# Believed only from a trusted proxy, only for a plain file inside the folder


def _refused_no_file(response):
    assert response.status_code == 422
    assert escape(str(uploads.ERR_NO_FILE)) in response.content.decode()


def test_from_an_untrusted_address_the_header_is_ignored_and_the_body_used(
        vendor_client, vendor, office, files, body_dir, settings):
    registration = make_registration(vendor, office)
    someone_elses = nginx_file(body_dir, body_of(corpus.plain_pdf(files, name="orang-lain.pdf")))
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    mine = corpus.plain_pdf(files, pages=1, name="punya-saya.pdf")

    with open(mine, "rb") as f:
        response = vendor_client.post(
            reverse("document_upload", args=[registration.code, "ktp"]), {"files": [f]},
            headers={"X-Upload-Body-File": str(someone_elses), "HX-Request": "true"})
    run_worker()

    assert response.status_code == 200
    assert Document.objects.get().original_name == "punya-saya.pdf"
    assert someone_elses.exists()


def test_without_a_body_from_an_untrusted_address_nothing_is_taken(
        vendor_client, vendor, office, files, body_dir):
    registration = make_registration(vendor, office)
    someone_elses = nginx_file(body_dir, body_of(corpus.plain_pdf(files)))

    response = handed(vendor_client, registration, someone_elses, REMOTE_ADDR="203.0.113.7")

    _refused_no_file(response)
    assert someone_elses.exists() and not Document.objects.exists()


@pytest.mark.parametrize("where", ["outside", "dot-dot", "symlink", "hard-link", "folder",
                                   "relative", "missing"])
def test_a_name_that_is_not_a_plain_file_in_the_folder_is_ignored(
        vendor_client, vendor, office, files, body_dir, tmp_path, private_storage, where):
    registration = make_registration(vendor, office)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = nginx_file(elsewhere, body_of(corpus.plain_pdf(files)))
    name = {
        "outside": str(target),
        "dot-dot": f"{body_dir}/../elsewhere/{target.name}",
        "relative": target.name,
        "missing": str(body_dir / "9999999999"),
        "folder": str(body_dir),
    }.get(where)
    if where == "symlink":
        (body_dir / "link").symlink_to(target)
        name = str(body_dir / "link")
    if where == "hard-link":
        os.link(target, body_dir / "linked")
        name = str(body_dir / "linked")

    response = handed(vendor_client, registration, name)

    _refused_no_file(response)  # the request came without a body: nothing to upload
    assert target.exists() and target.read_bytes().startswith(b"--" + BOUNDARY.encode())
    assert not Document.objects.exists()
    assert stored_files(private_storage) == []


# Refused at once: nothing is recorded


def assert_nothing_recorded(private_storage):
    assert not Document.objects.exists()
    assert stored_files(private_storage) == []
    assert not AuditEvent.objects.filter(action="document.uploaded").exists()
    assert not DBTaskResult.objects.filter(task_path__startswith="verifikasi.registrations.")


@pytest.mark.parametrize("body, message", [
    pytest.param(b"this is not multipart at all", handoff.ERR_MALFORMED, id="garbage"),
    pytest.param(encode_multipart(BOUNDARY, {"csrfmiddlewaretoken": "x" * 64}),
                 uploads.ERR_NO_FILE, id="no-file-part"),
    pytest.param(encode_multipart(BOUNDARY, {"files": [SimpleUploadedFile("a.pdf", b"%PDF-1")]})
                 [:-40], handoff.ERR_MALFORMED, id="cut-short"),
    pytest.param(b"--" + BOUNDARY.encode() + b"\r\nContent-Disposition: form-data; name=\"files\""
                 b"; filename=\"a.pdf\"\r\n" + b"X-Padding: y\r\n" * 5000,
                 handoff.ERR_MALFORMED, id="headers-never-end"),
    pytest.param(b"--" + BOUNDARY.encode() + b"\r\n\r\n" + os.urandom(200_000),
                 handoff.ERR_MALFORMED, id="big-and-never-closed"),
    pytest.param(encode_multipart(BOUNDARY, {"csrfmiddlewaretoken": "x" * 200_000}),
                 uploads.ERR_NO_FILE, id="big-without-a-file"),
])
def test_a_body_without_a_file_or_malformed_is_refused_and_changes_nothing(
        vendor_client, vendor, office, body_dir, private_storage, body, message):
    registration = make_registration(vendor, office)
    stored_body = nginx_file(body_dir, body)

    response = handed(vendor_client, registration, stored_body)

    assert response.status_code == 422
    assert escape(str(message)) in response.content.decode()
    assert_nothing_recorded(private_storage)
    assert stored_body.exists()  # nginx deletes it after the response


def test_a_body_with_the_wrong_content_type_has_no_file(vendor_client, vendor, office, files,
                                                        body_dir, private_storage):
    registration = make_registration(vendor, office)
    stored_body = nginx_file(body_dir, body_of(corpus.plain_pdf(files)))

    _refused_no_file(handed(vendor_client, registration, stored_body,
                            content_type="application/octet-stream"))
    assert_nothing_recorded(private_storage)


def test_a_body_too_big_for_any_upload_is_refused_from_its_size(
        vendor_client, vendor, office, body_dir, private_storage, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    registration = make_registration(vendor, office)
    stored_body = nginx_file(body_dir, b"-" * (uploads.MAX_PHOTOS * 1024 + 70 * 1024))

    response = handed(vendor_client, registration, stored_body)

    assert response.status_code == 422
    assert escape(MESSAGES["too_big"]) in response.content.decode()
    assert_nothing_recorded(private_storage)


def test_a_body_broken_past_the_head_is_refused_by_the_worker_whole(
        vendor_client, vendor, office, files, body_dir, private_storage):
    """The head and the end look right, the middle does not: the worker refuses the version
    with the message and destroys the bytes; no half-saved record."""
    registration = make_registration(vendor, office)
    good = body_of(big_pdf(files, 200 * 1024))
    broken = good[:100_000] + b"\r\n--" + BOUNDARY.encode() + b"garbage\r\n" + good[100_000:]
    handed(vendor_client, registration, nginx_file(body_dir, broken))

    doc = Document.objects.get()
    assert doc.check_state == DocumentCheck.REFUSED
    assert doc.check_message == str(handoff.ERR_MALFORMED)
    assert (doc.file.name, doc.incoming, doc.page_count) == ("", [], 0)
    assert stored_files(private_storage) == []
    assert AuditEvent.objects.filter(action="document.refused").count() == 1


def test_the_worker_refuses_a_file_past_the_size_limit_beyond_the_head(
        vendor_client, vendor, office, files, body_dir, private_storage, settings):
    settings.UPLOAD_MAX_BYTES = 150 * 1024
    registration = make_registration(vendor, office)

    response = handed(vendor_client, registration,
                      nginx_file(body_dir, body_of(big_pdf(files, 200 * 1024))))

    assert response.status_code == 200  # the request sees only the head
    doc = Document.objects.get()
    assert doc.check_state == DocumentCheck.REFUSED
    assert doc.check_message == uploads.too_big(uploads.UploadLimits.from_settings()).message
    assert stored_files(private_storage) == []


# The worker's extraction in bounded memory


class CountingFile(io.FileIO):
    """A real file that remembers how much each read asked for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked: list[int] = []

    def read(self, size=-1):
        self.asked.append(size)
        return super().read(size)


def test_the_body_is_read_in_chunks_and_never_held_whole(tmp_path):
    data = os.urandom(1024 * 1024) * 24  # 24 MiB of file data
    body = tmp_path / "body"
    body.write_bytes(encode_multipart(
        BOUNDARY, {"csrfmiddlewaretoken": "x", "files": [SimpleUploadedFile("a.pdf", data)]}))
    chunk = 256 * 1024

    with CountingFile(body, "rb") as f:
        reader = BodyReader(f, BOUNDARY.encode(), chunk_size=chunk)
        tracemalloc.start()
        sizes, parts = [], []
        for part in reader.parts():
            parts.append(part)
            for piece in reader.data():
                sizes.append(len(piece))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

    part = parts[-1]
    assert part.size == len(data) and part.complete
    assert set(f.asked) == {chunk} and reader.bytes_read == body.stat().st_size
    assert max(sizes) <= chunk + len(BOUNDARY)
    assert peak < 4 * chunk  # a few chunks, not 24 MiB


def test_the_worker_extracts_a_large_body_in_bounded_memory(tmp_path, private_storage,
                                                            settings):
    settings.UPLOAD_MAX_BYTES = 40 * 1024 * 1024
    data = b"%PDF-1.4\n" + os.urandom(1024 * 1024) * 30
    name = "registrations/x/incoming/body"
    Path(private_storage, name).parent.mkdir(parents=True)
    Path(private_storage, name).write_bytes(encode_multipart(
        BOUNDARY, {"files": [SimpleUploadedFile("akta.pdf", data, "application/pdf")]}))
    work = tmp_path / "work"
    work.mkdir()

    tracemalloc.start()
    files, is_pdf = handoff.extract({"name": name, "multipart": BOUNDARY}, work,
                                    uploads.UploadLimits.from_settings())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    [extracted] = files
    assert is_pdf and extracted.size == len(data) and extracted.name == "akta.pdf"
    assert extracted.path.read_bytes() == data
    assert peak < 2 * 1024 * 1024  # the 30 MiB never in memory


def test_a_cut_body_is_truncated_not_taken_as_complete():
    body = encode_multipart(BOUNDARY, {"files": [SimpleUploadedFile("a.pdf", b"%PDF" * 100)]})
    reader = BodyReader(io.BytesIO(body[:-30]), BOUNDARY.encode(), chunk_size=64)

    with pytest.raises(Truncated):
        for _part in reader.parts():
            pass


def test_a_no_js_upload_still_goes_the_normal_way_beside_handoff(
        vendor_client, vendor, office, files, body_dir):
    """Without JavaScript nginx routes the form the usual way (its token is in the body)."""
    registration = make_registration(vendor, office)

    response = upload(vendor_client, registration, corpus.plain_pdf(files))

    assert response.status_code == 302
    assert Document.objects.get().check_state == DocumentCheck.ACCEPTED


def test_another_vendor_cannot_hand_in_a_body_for_a_registration_not_theirs(
        client, vendor, office, files, body_dir):
    registration = make_registration(vendor, office)
    stranger = make_user("lain@cv.test")
    login(client, stranger)
    stored_body = nginx_file(body_dir, body_of(corpus.plain_pdf(files)))

    response = handed(client, registration, stored_body)

    assert response.status_code == 404
    assert stored_body.exists() and not Document.objects.exists()
