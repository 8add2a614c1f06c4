"""A database or storage failure during a request: HTTP 503, a clear Indonesian page, nothing saved.

The failures are real: storage pointed at a path that cannot be a folder, and
database statements refused through Django's own execute_wrapper hook (what a
dropped PostgreSQL connection raises: OperationalError).
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.urls import reverse

from tests.conftest import login
from verifikasi.core.storage import files_unit

STORAGE_MESSAGE = "Penyimpanan berkas sedang tidak dapat digunakan"
DATABASE_MESSAGE = "Basis data sedang tidak dapat dihubungi"
NOTHING_CHANGED = "Tidak ada data yang berubah"


def refuse(match: str = ""):
    """An execute_wrapper that fails statements containing ``match`` (all if empty)."""
    def wrapper(execute, sql, params, many, context):
        if match in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)
    return wrapper


def assert_unavailable(response, message):
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert message in html and NOTHING_CHANGED in html
    assert "Traceback" not in html and "OperationalError" not in html
    assert 'href="/static/' in html or "/static/" in html  # the site's own layout


def test_a_database_error_in_a_view_is_a_503(client, db):
    with connection.execute_wrapper(refuse()):
        # The public certificate check: a lookup no page cache can answer.
        response = Client(raise_request_exception=False).get(
            reverse("certificate_check", args=["LPSE-KTP-2026-0001"]))

    assert_unavailable(response, DATABASE_MESSAGE)


def test_a_database_error_before_the_view_is_a_503_too(vendor):
    """The session and the user are read by middleware, before any view runs."""
    client = login(Client(raise_request_exception=False), vendor)

    with connection.execute_wrapper(refuse()):
        response = client.get(reverse("home"))

    assert_unavailable(response, DATABASE_MESSAGE)


def test_other_errors_still_get_the_500_page(vendor, office, monkeypatch):
    from verifikasi.front import views

    def broken(*args, **kwargs):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr(views, "landing_context", broken)
    # A query string: never served from a page cache.
    response = Client(raise_request_exception=False).get(reverse("landing"), {"fresh": "1"})

    assert response.status_code == 500
    assert DATABASE_MESSAGE not in response.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_unit_keeps_files_whose_transaction_committed(private_storage):
    with pytest.raises(OperationalError), files_unit():
        with transaction.atomic():
            kept = default_storage.save("unit/kept.txt", ContentFile(b"committed"))
        with transaction.atomic():
            lost = default_storage.save("unit/lost.txt", ContentFile(b"rolled back"))
            raise OperationalError("the database went away before COMMIT")

    assert default_storage.exists(kept)
    assert not default_storage.exists(lost)


def test_a_unit_that_succeeds_keeps_everything(private_storage):
    with files_unit():
        name = default_storage.save("unit/fine.txt", ContentFile(b"ok"))
    assert default_storage.exists(name)
