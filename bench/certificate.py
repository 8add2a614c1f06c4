"""Benchmark: certificate PDF with QR code and signature, against the 200 ms budget (DESIGN).

    .venv/bin/python bench/certificate.py [--count 50]

Runs in a throwaway DATA_DIR (SQLite, private files, a fresh signing key),
issues ``count`` certificates and prints milliseconds per certificate for
render+sign alone and for the whole ``certificate_issue`` (number, render,
sign, store, row, audit), each against a baseline: rendering an unsigned
blank reportlab page. The one-off key load is reported separately.
"""

import argparse
import datetime
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(data_dir: str) -> None:
    os.environ.update({
        "DATA_DIR": data_dir, "DEBUG": "1", "LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"sqlite:///{data_dir}/bench.sqlite3",
        "CERTIFICATE_P12_PATH": os.path.join(data_dir, "signing.p12"),
    })
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verifikasi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("create_signing_certificate", stdout=io.StringIO())


def blank_page_ms(count: int) -> list[float]:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    times = []
    for _ in range(count):
        start = time.perf_counter()
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=A4)
        canvas.showPage()
        canvas.save()
        buffer.getvalue()
        times.append((time.perf_counter() - start) * 1000)
    return times


def registrations(count: int):
    from verifikasi.accounts.models import Role, User
    from verifikasi.offices.models import Office
    from verifikasi.registrations.models import Registration

    office = Office.objects.get(code="ketapang")
    verifier = User.objects.create_user("bench-verifier@lpse.test", "x", role=Role.VERIFIER,
                                        office=office, full_name="Rina Verifikator")
    result = []
    for n in range(count):
        vendor = User.objects.create_user(f"bench{n}@usaha.test", "x", full_name=f"Pemilik {n}")
        result.append(Registration.objects.create(
            office=office, vendor=vendor, status="verified", assigned_to=verifier,
            company_name=f"CV Usaha Bersama Nomor {n}", npwp=f"{n + 1:016d}", nib="9120001234567",
            director_name=f"Pemilik Perusahaan {n}"))
    return result


DOCUMENTS = ["KTP", "NPWP", "NIB", "Akta Pendirian Perusahaan", "Akta Perubahan Perusahaan"]


def render_and_sign_ms(regs) -> list[float]:
    from django.utils import timezone

    from verifikasi.certificates.models import Certificate
    from verifikasi.certificates.pdf import render_certificate_pdf
    from verifikasi.certificates.selectors import certificate_settings_get
    from verifikasi.certificates.signing import sign_pdf

    cfg = certificate_settings_get(regs[0].office)
    times = []
    for n, registration in enumerate(regs, start=1):
        certificate = Certificate(
            registration=registration, office=registration.office, number=f"{n:04d}/BENCH/2026",
            year=2026, seq=n, issued_at=timezone.now(), company_name=registration.company_name,
            npwp_display=registration.npwp, nib=registration.nib,
            person_verified=registration.director_name, person_role="Direktur",
            call_date=datetime.date(2026, 11, 20), verifier_name="Rina Verifikator",
            documents=DOCUMENTS)
        start = time.perf_counter()
        pdf = render_certificate_pdf(certificate, place=cfg.place, signer_name="Agus Ketua",
                                     signer_title=cfg.signer_title,
                                     check_url=f"http://127.0.0.1:8000/cek/{certificate.code}/")
        sign_pdf(pdf, reason="Tanda lulus verifikasi", location=cfg.place)
        times.append((time.perf_counter() - start) * 1000)
    return times


def issue_ms(regs) -> list[float]:
    from django.db import transaction

    from verifikasi.certificates.services import certificate_issue

    times = []
    for registration in regs:
        start = time.perf_counter()
        with transaction.atomic():
            certificate_issue(registration=registration, call_date=datetime.date(2026, 11, 20),
                              documents=DOCUMENTS)
        times.append((time.perf_counter() - start) * 1000)
    return times


def line(label: str, times: list[float], baseline: float | None = None) -> str:
    times = sorted(times)
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    text = (f"{label:<34} mean {statistics.mean(times):7.2f} ms   median "
            f"{statistics.median(times):7.2f} ms   p95 {p95:7.2f} ms")
    if baseline:
        text += f"   ratio {statistics.mean(times) / baseline:6.1f}x"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-certificate-") as data_dir:
        setup(data_dir)
        from verifikasi.certificates import signing

        start = time.perf_counter()
        signing.signer()
        key_load = (time.perf_counter() - start) * 1000

        regs = registrations(args.count)
        blank_page_ms(5)  # warm up reportlab's font metrics
        baseline = blank_page_ms(args.count)
        base = statistics.mean(baseline)
        render_and_sign_ms(regs[:3])  # warm up imports and caches
        pure = render_and_sign_ms(regs)
        full = issue_ms(regs)

        print(f"Certificates: {args.count}; budget 200 ms each (DESIGN)")
        print(f"{'signing key load (once per process)':<34} {key_load:7.2f} ms")
        print(line("baseline: blank reportlab page", baseline))
        print(line("render + sign", pure, base))
        print(line("certificate_issue (all of it)", full, base))
        worst = max(statistics.mean(pure), statistics.mean(full))
        print("within budget" if worst < 200 else "OVER BUDGET")


if __name__ == "__main__":
    main()
