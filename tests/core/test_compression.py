"""What goes over the wire (issue 16): hashed, compressed static files cached for a
year; HTML gzipped with Django's BREACH mitigation; nothing personal cacheable."""

import gzip
import io
import re
import sys
from pathlib import Path

import brotli
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.signals import request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import reverse

from verifikasi.core.compression import ONE_YEAR

HTMX = Path(settings.BASE_DIR) / "verifikasi" / "static" / "verifikasi" / "htmx.min.js"


def wsgi_get(app, path: str, **headers) -> tuple[int, dict, bytes]:
    """One GET through the WSGI application, as gunicorn would call it."""
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **{"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()},
    }
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = {k.lower(): v for k, v in response_headers}

    # As Django's test client does: the test's transaction must survive the request.
    request_started.disconnect(close_old_connections)
    try:
        result = app(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()
    finally:
        request_started.connect(close_old_connections)
    return answer["status"], answer["headers"], body


@pytest.fixture
def collected(settings, tmp_path):
    """Production static files: collectstatic with the manifest storage, no finders."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", interactive=False, verbosity=0)
    return tmp_path / "static"


def test_it_serves_hashed_compressed_htmx_for_a_year(collected, office):
    hashed = [p for p in (collected / "verifikasi").iterdir()
              if re.fullmatch(r"htmx\.min\.[0-9a-f]{12}\.js", p.name)]
    assert len(hashed) == 1
    name = hashed[0].name
    assert (collected / "verifikasi" / f"{name}.gz").exists()
    assert (collected / "verifikasi" / f"{name}.br").exists()

    app = get_wsgi_application()
    status, _, page = wsgi_get(app, "/")
    assert status == 200
    assert f'src="/static/verifikasi/{name}"'.encode() in page  # the page names the hash

    original = HTMX.read_bytes()
    status, headers, body = wsgi_get(app, f"/static/verifikasi/{name}",
                                     accept_encoding="gzip, deflate, br")
    assert status == 200
    assert headers["cache-control"] == f"max-age={ONE_YEAR}, public, immutable"
    assert headers["content-encoding"] == "br"
    assert brotli.decompress(body) == original
    assert len(body) < len(original) / 3

    status, headers, body = wsgi_get(app, f"/static/verifikasi/{name}",
                                     accept_encoding="gzip")
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == original
    assert "immutable" in headers["cache-control"]

    # The unhashed name still works (old pages), but is not cached for long.
    status, headers, _ = wsgi_get(app, "/static/verifikasi/htmx.min.js")
    assert status == 200
    assert "immutable" not in headers["cache-control"]


def test_it_does_not_look_for_static_files_in_the_apps_in_production():
    # pytest runs with STATIC_MANIFEST=0; the default (production) is the manifest.
    from verifikasi.core.env import envbool

    assert envbool("STATIC_MANIFEST", True) is False
    assert settings.WHITENOISE_USE_FINDERS is True  # the tests' plain storage
    assert settings.WHITENOISE_AUTOREFRESH is False


def test_it_gzips_html_with_random_header_padding(client, office):
    sizes = set()
    for _ in range(3):
        response = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        body = response.content
        # Django's BREACH mitigation: a random file name in the gzip header.
        assert body[3] & gzip.FNAME
        sizes.add(body.index(b"\x00", 10))
        assert b"Verifikasi dokumen pendaftaran" in gzip.decompress(body)
    assert len(sizes) > 1


def test_it_leaves_pdfs_uncompressed(client, office):
    response = client.get(reverse("poster"), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_it_sends_html_uncompressed_to_who_does_not_ask(client, office):
    response = client.get("/")
    assert "Content-Encoding" not in response
    assert b"Verifikasi dokumen pendaftaran" in response.content


@pytest.mark.parametrize("url_name", ["home", "vendor_home"])
def test_it_never_lets_a_cache_keep_a_vendors_page(vendor_client, url_name):
    response = vendor_client.get(reverse(url_name))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_it_never_lets_a_cache_keep_the_staff_queue(verifier_client):
    response = verifier_client.get(reverse("staff_queue"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_public_page_stays_cacheable_for_strangers(client, office):
    response = client.get("/")
    assert "no-store" not in response.get("Cache-Control", "")
