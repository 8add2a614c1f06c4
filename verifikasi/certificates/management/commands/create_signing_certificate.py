"""Create the office's self-signed signing certificate and key as PKCS#12.

Good enough for a demo and for an office that publishes its own check page
(the check trusts exactly this certificate). An office with a certificate
from a CA (e.g. BSrE) puts that PKCS#12 at CERTIFICATE_P12_PATH instead.
"""

import datetime
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

VALID_YEARS = 5
# Document signing (1.3.6.1.4.1.311.10.3.12) as Acrobat and Windows know it.
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.4.1.311.10.3.12")


def build_p12(common_name: str, password: str, *, years: int = VALID_YEARS) -> bytes:
    # ECDSA P-256: signing is a few milliseconds, and a certificate has to be
    # rendered and signed within the 200 ms budget (DESIGN).
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, common_name[:64]),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
    ])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))  # tolerate clock skew
        .not_valid_after(now + datetime.timedelta(days=365 * years + years // 4))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([DOCUMENT_SIGNING,
                                              ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                       critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    encryption = (serialization.BestAvailableEncryption(password.encode()) if password
                  else serialization.NoEncryption())
    return pkcs12.serialize_key_and_certificates(
        b"verifikasi-daring", key, cert, None, encryption)


class Command(BaseCommand):
    help = ("Create a self-signed certificate signing key (PKCS#12) at CERTIFICATE_P12_PATH, "
            "protected by CERTIFICATE_P12_PASSWORD. Refuses to overwrite without --force.")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="replace an existing file (certificates signed with the old "
                                 "key then no longer check as valid by signature)")
        parser.add_argument("--if-missing", action="store_true",
                            help="do nothing (and succeed) when the file exists; for scripts")
        parser.add_argument("--name", help="subject name; default: the office's name")
        parser.add_argument("--office", help="office code; default: DEFAULT_OFFICE_CODE")
        parser.add_argument("--path", help="where to write; default: CERTIFICATE_P12_PATH")

    def handle(self, *args, **options):
        path = Path(options["path"] or settings.CERTIFICATE_P12_PATH)
        if path.exists() and not options["force"]:
            if options["if_missing"]:
                self.stdout.write(f"Signing certificate exists: {path}")
                return
            raise CommandError(f"{path} exists; use --force to replace it.")
        name = options["name"] or self._office_name(options["office"])
        data = build_p12(name, settings.CERTIFICATE_P12_PASSWORD)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)  # never a half-written key at the real path
        self.stdout.write(self.style.SUCCESS(
            f"Signing certificate for “{name}” written to {path} (valid {VALID_YEARS} years)."))

    def _office_name(self, code: str | None) -> str:
        from verifikasi.offices.models import Office

        code = code or settings.DEFAULT_OFFICE_CODE
        office = Office.objects.filter(code=code).first()
        if office is None:
            raise CommandError(f"No office with code {code!r}; pass --office or --name.")
        return office.name
