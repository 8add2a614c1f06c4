"""An upload during a storage or database failure: HTTP 503, a clear page, nothing saved.

The failures are real: storage pointed at a path that cannot be a folder, and the
document's INSERT refused through Django's execute_wrapper hook (what a dropped
PostgreSQL connection raises). See also tests/core/test_unavailable.py.
"""

from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.conftest import login
from tests.core import pdf_corpus as corpus
from tests.core.test_unavailable import (
    DATABASE_MESSAGE,
    STORAGE_MESSAGE,
    assert_unavailable,
    refuse,
)
from tests.registrations.factories import make_registration
from verifikasi.core.models import AuditEvent
from verifikasi.registrations.models import Document


@pytest.fixture
def pdf(files):
    return corpus.plain_pdf(files)


def upload(client, registration, path: Path):
    with open(path, "rb") as f:
        return client.post(reverse("document_upload", args=[registration.code, "ktp"]),
                           {"files": [f]})


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def assert_nothing_saved(private_storage, upload_temp_dir):
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(action="document.uploaded").exists()
    assert not DBTaskResult.objects.exists()
    assert stored_files(private_storage) == []
    assert list(upload_temp_dir.iterdir()) == []


def test_an_upload_to_unwritable_storage_is_a_503_and_saves_nothing(
        vendor, office, settings, tmp_path, pdf, upload_temp_dir):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "verifikasi.core.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(blocker / "private")}}}
    registration = make_registration(vendor, office)
    client = login(Client(raise_request_exception=False), vendor)

    response = upload(client, registration, pdf)

    assert_unavailable(response, STORAGE_MESSAGE)
    assert_nothing_saved(blocker, upload_temp_dir)


def test_a_database_failure_after_the_file_was_stored_removes_the_file(
        vendor, office, pdf, private_storage, upload_temp_dir):
    registration = make_registration(vendor, office)
    client = login(Client(raise_request_exception=False), vendor)

    with connection.execute_wrapper(refuse('INSERT INTO "registrations_document"')):
        response = upload(client, registration, pdf)

    assert_unavailable(response, DATABASE_MESSAGE)
    assert_nothing_saved(private_storage, upload_temp_dir)
