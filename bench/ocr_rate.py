"""Benchmark: how often the KTP's NIK hint reads the right NIK (issue 20).

    .venv/bin/python bench/ocr_rate.py            # 25 generated KTPs per kind
    .venv/bin/python bench/ocr_rate.py -n 100

Generates KTP-like photos (registrations.ktp_sample: plain, rotated 2–4°, blurred,
JPEG quality 12–20), stores each as the app does (one A4 PDF page made from the photo,
rendered back at ``RENDER_WIDTH_PX``) and reads it with ``ktp_hint.read_nik`` — Debian's
Tesseract with the Indonesian data. Per kind: read right, read wrong (a valid NIK that is
not the printed one: the review screen says "berbeda", with its confidence), not read,
the median confidence of right and wrong readings, and the median time per reading.
"""

import argparse
import base64
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(data_dir: str) -> None:
    os.environ.update({
        "DATA_DIR": data_dir, "DEBUG": "0", "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{data_dir}/bench.sqlite3", "STATIC_MANIFEST": "0",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2, "OCR_ENABLED": "1",
        "ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "AUDIT_HMAC_KEY": "bench-" + uuid.uuid4().hex * 2,
        "DJANGO_SETTINGS_MODULE": "verifikasi.settings",
    })
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=25, help="generated KTPs per kind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        setup(work)
        from verifikasi.core import pdfcheck
        from verifikasi.registrations import ktp_hint, ktp_sample, ocr

        status = ocr.engine_status()
        if not status.available:
            sys.exit(f"OCR engine not available: {status.detail}")
        print(f"KTP NIK read rate, {time.strftime('%Y-%m-%d %H:%M %Z')}, {status.detail}, "
              f"{args.n} per kind, load average {os.getloadavg()[0]:.1f}")
        print(f"{'kind':<9} {'right':>7} {'wrong':>6} {'none':>5} {'conf. right':>12} "
              f"{'conf. wrong':>12} {'time':>7}")
        total = right_all = 0
        work_dir = Path(work)
        for variant in ktp_sample.VARIANTS:
            right = wrong = none = 0
            conf_right, conf_wrong, times = [], [], []
            for seed in range(args.n):
                nik, jpeg = ktp_sample.ktp_photo(variant, seed=seed)
                (work_dir / "ktp.jpg").write_bytes(jpeg)
                pdfcheck.images_to_pdf([work_dir / "ktp.jpg"], work_dir / "ktp.pdf")
                start = time.perf_counter()
                pdfcheck.render_page_png(work_dir / "ktp.pdf", work_dir / "ktp.png",
                                         page_index=0, width_px=ktp_hint.RENDER_WIDTH_PX)
                reading = ktp_hint.read_nik(work_dir / "ktp.png")
                times.append(time.perf_counter() - start)
                if reading is None:
                    none += 1
                elif reading.nik == nik:
                    right += 1
                    conf_right.append(reading.confidence)
                else:
                    wrong += 1
                    conf_wrong.append(reading.confidence)
            total += args.n
            right_all += right

            def med(values):
                return f"{statistics.median(values):.0f}%" if values else "—"

            print(f"{variant:<9} {right:>3}/{args.n:<3} {wrong:>6} {none:>5} "
                  f"{med(conf_right):>12} {med(conf_wrong):>12} "
                  f"{statistics.median(times):6.2f}s")
        print(f"overall: {right_all}/{total} = {right_all / total:.0%} read right")


if __name__ == "__main__":
    main()
