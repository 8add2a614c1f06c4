"""The restore drill: back up, wipe, restore into a fresh database and bucket, and prove
that everything came back.

On a throw-away installation of its own (private PostgreSQL cluster, moto's S3 server,
SMTP, two app servers behind nginx, two workers, as ``bench/faults.py`` starts them), it

1. makes real data: vendor journeys from sign-up to the certificate's receipt, over HTTP;
2. backs up the database with ``pg_dump -Fc`` and every object of the bucket (with a
   SHA-256 manifest), as docs/deploy.md's nightly backup does;
3. stops the app and the workers, drops the database and deletes the bucket;
4. restores with ``pg_restore`` into a NEW database and uploads the files into a NEW bucket,
   then starts the app on them;
5. proves it: ``verify_audit`` passes, also against the anchor taken before the backup;
   the same rows; every object back with the same SHA-256; every document, recording and
   certificate file hashing to what its row records; every certificate "masih berlaku" on
   /cek/<code>/ and its PDF accepted by the /cek upload check.

    .venv/bin/python bench/restore_drill.py            # about 2 minutes
    .venv/bin/python bench/restore_drill.py --vendors 5 --keep

The last line is ``restore drill: OK`` or ``restore drill: FAILED (n problems)``; the exit
code says the same. docs/operations.md describes the monthly drill on real backups.
"""

import argparse
import hashlib
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from faultrun import stack as stackmod  # noqa: E402
from faultrun.client import Browser, Errors  # noqa: E402
from faultrun.journey import Journey  # noqa: E402
from faultrun.mailbox import Mailbox  # noqa: E402
from faultrun.seed import seed_code  # noqa: E402

RESTORED_DB = "verifikasi_restored"
RESTORED_BUCKET = "restored"

SNAPSHOT = """
import hashlib, json
from django.core.files.storage import default_storage
from verifikasi.certificates.models import Certificate
from verifikasi.core.models import AuditChainHead, AuditEvent
from verifikasi.meetings.models import Recording
from verifikasi.registrations.models import Document, Registration
from verifikasi.notifications.models import OutboundEmail

def digest(name):
    h = hashlib.sha256()
    with default_storage.open(name, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()

bad = []
for model, label in ((Document, "document"), (Recording, "recording"),
                     (Certificate, "certificate")):
    for row in model.objects.exclude(file=""):
        try:
            actual = digest(row.file.name)
        except Exception as e:
            bad.append(f"{label} {row.file.name}: cannot be read ({type(e).__name__})")
            continue
        if actual != row.sha256:
            bad.append(f"{label} {row.file.name}: SHA-256 differs from its row")
head = AuditChainHead.objects.first()
print(json.dumps({
    "rows": {"registrations": Registration.objects.count(),
             "documents": Document.objects.count(), "recordings": Recording.objects.count(),
             "certificates": Certificate.objects.count(),
             "emails": OutboundEmail.objects.count(), "audit": AuditEvent.objects.count()},
    "statuses": sorted(Registration.objects.values_list("code", "status")),
    "anchor": f"count={head.seq} head={head.hash}" if head else "",
    "certificates": [(c.code, c.number) for c in Certificate.objects.order_by("seq")],
    "hash_problems": bad,
}, default=str))
"""


def log(line: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {line}", flush=True)


def snapshot(stack) -> dict:
    out = stack.manage("shell", "-c", SNAPSHOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_data(stack, vendors: int) -> None:
    stack.manage("shell", "-c", seed_code(1))
    errors = Errors()
    mailbox = Mailbox(stack.mail_dir)
    staff = Browser(stack.url, "verifikator1@lpse.test", errors, ip="10.250.0.1")
    from faultrun import db

    db.setup(stack.env)
    for n in range(1, vendors + 1):
        journey = Journey(n, stack.url, errors, mailbox, staff, db.call_time_arrives)
        journey.run()
        if journey.failed:
            raise RuntimeError(f"journey {n} did not finish: {journey.failed}")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the certificate emails, the last tasks
        from verifikasi.notifications.models import OutboundEmail

        db.fresh()
        if not OutboundEmail.objects.filter(status__in=["queued", "sending"]).exists():
            break
        time.sleep(1)


def backup(stack, folder: Path) -> dict[str, str]:
    dump = folder / "verifikasi.dump"
    with open(dump, "wb") as out:
        subprocess.run([str(stack.pg_bin / "pg_dump"), "-Fc", "-h", "127.0.0.1", "-p",
                        str(stack.ports["pg"]), "-U", "postgres", "verifikasi"],
                       stdout=out, check=True)
    s3 = stack.s3()
    manifest = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=stackmod.S3_BUCKET):
        for item in page.get("Contents", []):
            data = s3.get_object(Bucket=stackmod.S3_BUCKET, Key=item["Key"])["Body"].read()
            target = folder / "store" / item["Key"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            manifest[item["Key"]] = sha256(data)
    (folder / "store-manifest.json").write_text(json.dumps(manifest, indent=1))
    log(f"   database dump {dump.stat().st_size / 1024:.0f} KiB, {len(manifest)} files "
        f"({sum(p.stat().st_size for p in (folder / 'store').rglob('*') if p.is_file()) / 1024:.0f}"
        " KiB)")
    return manifest


def wipe(stack) -> None:
    for name in ("nginx", "app1", "app2", "worker1", "worker2"):
        stack.kill(name)
    subprocess.run([str(stack.pg_bin / "dropdb"), "-h", "127.0.0.1", "-p",
                    str(stack.ports["pg"]), "-U", "postgres", "--force", "verifikasi"],
                   check=True)
    s3 = stack.s3()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=stackmod.S3_BUCKET):
        for item in page.get("Contents", []):
            s3.delete_object(Bucket=stackmod.S3_BUCKET, Key=item["Key"])
    s3.delete_bucket(Bucket=stackmod.S3_BUCKET)


def restore(stack, folder: Path) -> None:
    port = str(stack.ports["pg"])
    subprocess.run([str(stack.pg_bin / "createdb"), "-h", "127.0.0.1", "-p", port, "-U",
                    "postgres", RESTORED_DB], check=True)
    subprocess.run([str(stack.pg_bin / "pg_restore"), "-h", "127.0.0.1", "-p", port, "-U",
                    "postgres", "--no-owner", "-d", RESTORED_DB,
                    str(folder / "verifikasi.dump")], check=True)
    s3 = stack.s3()
    s3.create_bucket(Bucket=RESTORED_BUCKET)
    store = folder / "store"
    for path in sorted(p for p in store.rglob("*") if p.is_file()):
        s3.put_object(Bucket=RESTORED_BUCKET, Key=path.relative_to(store).as_posix(),
                      Body=path.read_bytes())
    stack.env["DATABASE_URL"] = stack.env["DATABASE_URL"].rsplit("/", 1)[0] + "/" + RESTORED_DB
    stack.env["S3_BUCKET"] = RESTORED_BUCKET
    stack.manage("migrate", "--no-input", "-v", "0")  # nothing to do: the same code
    stack.start_app("app1")
    stack.start_app("app2")
    stack.start_nginx()
    for name in ("app1", "app2"):
        stackmod.wait_port(stack.ports[name], timeout=60, what=name)


def prove(stack, before: dict, manifest: dict[str, str]) -> list[str]:
    problems = []
    after = snapshot(stack)
    for key in ("rows", "statuses", "certificates"):
        if after[key] != before[key]:
            problems.append(f"{key} differ: before {before[key]}, after {after[key]}")
    problems += after["hash_problems"]
    s3 = stack.s3()
    restored = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=RESTORED_BUCKET):
        for item in page.get("Contents", []):
            body = s3.get_object(Bucket=RESTORED_BUCKET, Key=item["Key"])["Body"].read()
            restored[item["Key"]] = sha256(body)
    for key, digest in manifest.items():
        if restored.get(key) != digest:
            problems.append(f"file {key}: {'missing' if key not in restored else 'altered'}")
    log(f"   {len(restored)} of {len(manifest)} files back with the same SHA-256; "
        f"rows: {after['rows']}")
    for args in (("verify_audit",), ("verify_audit", "--anchor", before["anchor"])):
        result = stack.manage(*args, check=False)
        # Its verdict is on stdout; stderr may end with a library's warning.
        line = (result.stdout.strip() or result.stderr.strip()).splitlines()[-1:]
        log(f"   manage.py {' '.join(args[:2])}{' …' if len(args) > 2 else ''}: "
            f"{line[0] if line else ''}")
        if result.returncode != 0:
            problems.append(f"{' '.join(args[:2])} failed: {line}")
    public = Browser(stack.url, "public", Errors(), ip="10.251.0.1")
    for code, number in after["certificates"]:
        page = public.get(f"/cek/{code}/", "check page")
        if "masih berlaku" not in page.text:
            problems.append(f"certificate {number}: /cek/{code}/ does not say it is valid")
        key = stack.manage("shell", "-c", "from verifikasi.certificates.models import "
                           f"Certificate; print(Certificate.objects.get(code={code!r}).file.name)"
                           ).stdout.strip().splitlines()[-1]
        pdf = s3.get_object(Bucket=RESTORED_BUCKET, Key=key)["Body"].read()
        form = public.form(page := public.get("/cek/", "check upload"), button="Periksa")
        answer = public.submit(page, form, "check upload", files=[
            ("file", ("tanda-lulus.pdf", pdf, "application/pdf"))])
        if 'class="msg-success"' not in answer.text:
            problems.append(f"certificate {number}: the /cek upload check does not accept it")
    log(f"   {len(after['certificates'])} certificates checked on /cek (page and PDF upload)")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vendors", type=int, default=2, help="journeys to make data (2)")
    parser.add_argument("--keep", action="store_true", help="keep the folder (logs, backup)")
    args = parser.parse_args()
    missing = stackmod.missing_tools() if stackmod.install_nginx() else ["nginx"]
    if missing:
        print("ERROR: this machine lacks: " + "; ".join(missing), file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="restore-drill-"))

    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)  # the finally below stops every child
    signal.signal(signal.SIGINT, interrupted)
    stack = stackmod.Stack(folder, log=log)
    try:
        stack.start_all()
        log(f"==> {args.vendors} vendor journeys, sign-up to receipt")
        make_data(stack, args.vendors)
        before = snapshot(stack)
        if before["hash_problems"]:
            raise RuntimeError(f"the data was not sound before the backup: "
                               f"{before['hash_problems']}")
        log("==> backup: pg_dump -Fc and every object of the bucket")
        (folder / "backup").mkdir()
        manifest = backup(stack, folder / "backup")
        log("==> wipe: app and workers stopped, database dropped, bucket deleted")
        wipe(stack)
        log(f"==> restore into database {RESTORED_DB} and bucket {RESTORED_BUCKET}")
        restore(stack, folder / "backup")
        log("==> prove")
        problems = prove(stack, before, manifest)
    finally:
        stack.stop()
        if args.keep:
            log(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    print("restore drill: OK" if not problems else
          f"restore drill: FAILED ({len(problems)} problems)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
