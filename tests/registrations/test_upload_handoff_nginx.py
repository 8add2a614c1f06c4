"""The upload location of docs/deploy.md § 9 with a real nginx (Debian's nginx-light) in front
of the test server: a page's upload (X-CSRFToken) is stored by nginx and handed over by
name; a form without JavaScript (the token in the body) goes the usual way; a header a
client sends through any other location is cleared."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from django.test import Client

from bench.upload_rate_conf import deploy_upload_locations
from tests.conftest import login
from tests.core import pdf_corpus as corpus
from tests.registrations.factories import make_registration
from verifikasi.registrations.models import Document, DocumentCheck

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = [
    pytest.mark.usefixtures("upload_temp_dir"),
    pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx (nginx-light) is not installed"),
]

CONF = """
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
{user}
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {work}/bodies;
    proxy_temp_path {work}/proxy;
    client_max_body_size 60m;
    server {{
        listen 127.0.0.1:{port};
{upload_locations}
        location / {{
            proxy_set_header X-Upload-Body-File "";
            proxy_set_header Host $host;
            proxy_pass {upstream};
        }}
    }}
}}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def nginx(live_server, transactional_db, django_db_serialized_rollback, tmp_path, body_dir):
    work = tmp_path / "nginx"
    for folder in ("bodies", "proxy"):
        (work / folder).mkdir(parents=True)
    port = _free_port()
    # nginx's workers run as the application's user (docs/deploy.md § 9).
    user = "user root;" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(CONF.format(
        work=work, user=user, port=port, upstream=live_server.url,
        upload_locations=deploy_upload_locations(body_dir, live_server.url)))
    process = subprocess.Popen([NGINX, "-c", str(work / "nginx.conf"), "-p", str(work), "-e",
                                str(work / "error.log")])
    deadline = time.monotonic() + 10
    while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
        assert time.monotonic() < deadline and process.poll() is None, "nginx did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def _session(vendor) -> dict:
    client = login(Client(), vendor)
    return {"sessionid": client.cookies["sessionid"].value}


def test_an_upload_from_the_page_is_stored_by_nginx_and_handed_over(nginx, vendor, office, files,
                                                                      body_dir):
    registration = make_registration(vendor, office)
    pdf = corpus.plain_pdf(files, pages=2)
    with httpx.Client(base_url=nginx, cookies=_session(vendor)) as http:
        http.get(f"/pendaftaran/{registration.code}/dokumen/")
        token = http.cookies["csrftoken"]
        with open(pdf, "rb") as f:
            response = http.post(
                f"/pendaftaran/{registration.code}/dokumen/ktp/unggah/",
                files={"files": ("akta.pdf", f, "application/pdf")},
                headers={"X-CSRFToken": token, "HX-Request": "true"})

    assert response.status_code == 200, response.text[:500]
    assert "Sedang diperiksa" in response.text
    doc = Document.objects.get(registration=registration)
    [entry] = doc.incoming
    assert entry["multipart"]  # the body nginx stored, to be taken apart by the worker
    assert list(body_dir.iterdir()) == []  # renamed into the storage


def test_a_form_without_javascript_goes_the_usual_way(nginx, vendor, office, files, body_dir):
    registration = make_registration(vendor, office)
    pdf = corpus.plain_pdf(files, pages=1)
    with httpx.Client(base_url=nginx, cookies=_session(vendor)) as http:
        http.get(f"/pendaftaran/{registration.code}/dokumen/")
        token = http.cookies["csrftoken"]
        with open(pdf, "rb") as f:
            response = http.post(
                f"/pendaftaran/{registration.code}/dokumen/ktp/unggah/",
                data={"csrfmiddlewaretoken": token},
                files={"files": ("akta.pdf", f, "application/pdf")},
                headers={"X-Upload-Body-File": "/etc/passwd"})  # cleared by nginx

    assert response.status_code == 302
    doc = Document.objects.get(registration=registration)
    assert doc.check_state == DocumentCheck.CHECKING
    assert "multipart" not in doc.incoming[0]  # the application read the body itself
    assert doc.original_name == "akta.pdf"
