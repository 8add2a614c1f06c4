"""Settings for Verifikasi Daring: one file, every value from the environment.

The embedded defaults (SQLite, a private folder, the database task queue,
email captured locally) run on a laptop with nothing else installed; every
scale-out part is switched on by an environment variable listed in
.env.example. Outside DEBUG the app refuses to start with a placeholder
SECRET_KEY, an empty ALLOWED_HOSTS, or without the keys kept outside the
database (ENCRYPTION_KEYS, AUDIT_HMAC_KEY).
"""

import secrets
import warnings
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured as DjangoImproperlyConfigured
from django.utils.csp import CSP

from verifikasi.core.env import (
    ImproperlyConfigured,
    database_from_url,
    envbool,
    envchoice,
    envint,
    envlist,
    envnetworks,
    envsecret,
    envstr,
    fernet_keys,
    generate_fernet_key,
)

# pyhanko imports cryptography's DSA key type, which cryptography marks deprecated; every
# manage.py command and worker start printed that warning (we sign with RSA, never DSA).
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"pyhanko\..*")

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("DATA_DIR", str(BASE_DIR / "data"))).resolve()

PLACEHOLDER_SECRET_KEY = "insecure-development-key-change-me"  # noqa: S105 - refused below
DEBUG = envbool("DEBUG", False)
DEMO_MODE = envbool("DEMO_MODE", False)
SECRET_KEY = envstr("SECRET_KEY", PLACEHOLDER_SECRET_KEY)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
# The address people reach the app at; used in emails, QR codes and calendar invites.
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
HTTPS = envbool("HTTPS", SITE_URL.startswith("https://"))

try:
    if not DEBUG:
        if SECRET_KEY == PLACEHOLDER_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
            raise ImproperlyConfigured(
                "SECRET_KEY (or SECRET_KEY_FILE) must be set to a random value of at least "
                "50 characters when DEBUG is off."
            )
        if not ALLOWED_HOSTS:
            raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")

    # Keys kept outside the database (issue 13). ENCRYPTION_KEYS encrypts the
    # secrets stored in it (TOTP seeds, Zoom/Jitsi credentials): Fernet keys,
    # newest first; older ones only decrypt until `manage.py
    # rotate_encryption_keys` has re-encrypted everything. AUDIT_HMAC_KEY keys
    # the audit chain, so rewriting history needs more than database access.
    # DEBUG and the demo generate both in DATA_DIR, as the demo does SECRET_KEY.
    _generate_keys = DEBUG or DEMO_MODE
    ENCRYPTION_KEYS = fernet_keys("ENCRYPTION_KEYS", envsecret(
        "ENCRYPTION_KEYS", make=generate_fernet_key,
        fallback_file=DATA_DIR / "encryption_keys" if _generate_keys else None,
        hint="one or more Fernet keys, newest first, e.g. from python3 -c 'import base64,os; "
             "print(base64.urlsafe_b64encode(os.urandom(32)).decode())' (docs/deploy.md)"))
    AUDIT_HMAC_KEY = envsecret(
        "AUDIT_HMAC_KEY", make=lambda: secrets.token_urlsafe(48),
        fallback_file=DATA_DIR / "audit_hmac_key" if _generate_keys else None,
        hint="a random value of at least 32 characters, e.g. from python3 -c "
             "'import secrets; print(secrets.token_urlsafe(48))' (docs/deploy.md)")
    if len(AUDIT_HMAC_KEY) < 32:
        raise ImproperlyConfigured("AUDIT_HMAC_KEY must be at least 32 characters long.")
except ImproperlyConfigured as e:
    raise DjangoImproperlyConfigured(str(e)) from None

INSTALLED_APPS = [
    "verifikasi.core",
    "verifikasi.offices",
    "verifikasi.accounts",
    "verifikasi.notifications",
    "verifikasi.whatsapp",
    "verifikasi.incidents",
    "verifikasi.registrations",
    "verifikasi.scheduling",
    "verifikasi.meetings",
    "verifikasi.certificates",
    "verifikasi.survey",
    "verifikasi.privacy",
    "verifikasi.reports",
    "verifikasi.front",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    # First: a database or storage outage becomes a clear 503, and nothing half-saved.
    "verifikasi.core.unavailable.ServiceUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "verifikasi.core.compression.StaticFilesMiddleware",
    "verifikasi.core.compression.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the user row read by precompiled SQL (core.sessionload).
    "verifikasi.core.sessionload.AuthenticationMiddleware",
    "verifikasi.core.compression.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "verifikasi.accounts.middleware.StaffTwoFactorMiddleware",
]

ROOT_URLCONF = "verifikasi.urls"
WSGI_APPLICATION = "verifikasi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "verifikasi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "verifikasi.core.context_processors.site",
                "verifikasi.front.context_processors.names",
            ],
        },
    },
]

if not envstr("DATABASE_URL"):  # the embedded SQLite file lives in DATA_DIR
    DATA_DIR.mkdir(parents=True, exist_ok=True)
try:
    DATABASES = {
        "default": database_from_url(
            envstr("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'verifikasi.sqlite3'}",
            base_dir=BASE_DIR,
        )
    }
except ImproperlyConfigured as e:
    raise DjangoImproperlyConfigured(str(e)) from None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every web process, so login rate limits hold across gunicorn workers.
# "public_pages": each worker's copy of the pages strangers see (core.pagecache).
# "local": each worker's short-lived copies of per-office figures that are nothing personal
# (the queue's status counts), so a page view does not read them from the database cache.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "verifikasi_cache",
    },
    "public_pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
              "LOCATION": "local"},
}
PUBLIC_PAGE_CACHE_SECONDS = envint("PUBLIC_PAGE_CACHE_SECONDS", 60, minimum=0)
# A person's page kept by its inputs in the worker's "local" cache (core.pagememo): how
# long an unused one stays. Changed data is another key, never a stale page. 0: off.
PERSONAL_PAGE_MEMO_SECONDS = envint("PERSONAL_PAGE_MEMO_SECONDS", 300, minimum=0)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: vendors sign up with their email and must verify it; staff
# are created by an admin or `manage.py create_staff`, never by signup.
ACCOUNT_ADAPTER = "verifikasi.notifications.account_adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "verifikasi.accounts.forms.VendorSignupForm"}  # race-safe create
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_RATE_LIMITS = {
    "login_failed": envstr("LOGIN_RATE_LIMIT", "5/5m/ip,5/5m/key"),
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_ADAPTER = "verifikasi.accounts.adapter.MFAAdapter"  # encrypts TOTP and recovery seeds
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = envstr("MFA_TOTP_ISSUER", "Verifikasi Daring")

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "verifikasi" / "locale"]
FORMAT_MODULE_PATH = ["verifikasi.formats"]  # Indonesian dates and times (formats/id)
TIME_ZONE = "Asia/Pontianak"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "verifikasi" / "static"]
# Outside development `collectstatic` writes hashed names (app.3f2a….css) with gzip and
# brotli copies into STATIC_ROOT; WhiteNoise serves them from there with a one-year
# immutable Cache-Control (core.compression). STATIC_MANIFEST=0 (the tests) keeps plain
# names served straight from the apps, so no collectstatic is needed.
STATIC_MANIFEST = envbool("STATIC_MANIFEST", True)
WHITENOISE_USE_FINDERS = DEBUG or not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG

# Private files (documents, recordings, certificates) never have a public URL:
# the storage refuses url() and every download goes through a view that checks
# access and writes an audit event.
STORAGE_BACKEND = envchoice("STORAGE_BACKEND", "local", ("local", "s3"))
PRIVATE_MEDIA_ROOT = DATA_DIR / "private"
if STORAGE_BACKEND == "s3":
    from botocore.config import Config as _S3Config

    _default_storage = {
        "BACKEND": "verifikasi.core.storage_s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": envstr("S3_BUCKET"),
            "endpoint_url": envstr("S3_ENDPOINT_URL") or None,
            "region_name": envstr("S3_REGION") or None,
            "access_key": envstr("S3_ACCESS_KEY_ID"),
            "secret_key": envstr("S3_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": envint("S3_URL_EXPIRY_SECONDS", 300, minimum=10),
            "file_overwrite": False,
            # Every S3 call has a timeout and is retried with exponential backoff
            # (botocore's "standard" mode: throttling, 5xx and connection errors).
            "client_config": _S3Config(
                connect_timeout=envint("S3_CONNECT_TIMEOUT_SECONDS", 5, minimum=1),
                read_timeout=envint("S3_READ_TIMEOUT_SECONDS", 30, minimum=1),
                retries={"mode": "standard",
                         "total_max_attempts": envint("S3_MAX_ATTEMPTS", 4, minimum=1)},
            ),
        },
    }
else:
    _default_storage = {
        "BACKEND": "verifikasi.core.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
                    if STATIC_MANIFEST else "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024  # anything bigger streams to a temporary file
FILE_UPLOAD_TEMP_DIR = envstr("FILE_UPLOAD_TEMP_DIR") or None
# Behind the documented nginx, document uploads are stored to disk by nginx in this folder
# (its client_body_temp_path, on the private storage's filesystem) and handed over by name
# in X-Upload-Body-File, believed only from TRUSTED_PROXIES (verifikasi.core.bodyfile).
# Empty: the header is ignored and the application reads every body itself.
UPLOAD_BODY_DIR = envstr("UPLOAD_BODY_DIR") or None
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Background work: django.tasks on the database (django-tasks-db); `manage.py
# db_worker` runs it. What must happen later is a row before the request returns.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# Each worker stamps a heartbeat row every WORKER_HEARTBEAT_SECONDS: the lease on the
# task it runs. A worker silent for WORKER_LEASE_SECONDS counts as dead (/healthz) and
# its RUNNING task goes back to the queue, at most TASK_MAX_RUNS runs in all
# (verifikasi.core.recovery). A database outage makes the worker wait and retry,
# backing off up to WORKER_DB_RETRY_MAX_SECONDS between tries.
WORKER_HEARTBEAT_SECONDS = envint("WORKER_HEARTBEAT_SECONDS", 10, minimum=1)
WORKER_LEASE_SECONDS = envint("WORKER_LEASE_SECONDS", 3 * WORKER_HEARTBEAT_SECONDS,
                              minimum=2 * WORKER_HEARTBEAT_SECONDS)
WORKER_UPKEEP_SECONDS = envint("WORKER_UPKEEP_SECONDS", 30, minimum=1)
WORKER_DB_RETRY_MAX_SECONDS = envint("WORKER_DB_RETRY_MAX_SECONDS", 30, minimum=1)
TASK_MAX_RUNS = envint("TASK_MAX_RUNS", 3, minimum=1)
# /healthz fails when a due task or a due email has waited longer than this.
HEALTH_QUEUE_MAX_AGE_SECONDS = envint("HEALTH_QUEUE_MAX_AGE_SECONDS", 300, minimum=1)
HEALTH_MAIL_MAX_AGE_SECONDS = envint("HEALTH_MAIL_MAX_AGE_SECONDS", 900, minimum=1)

# Email. Django 6.1 reads MAILERS (EMAIL_BACKEND/EMAIL_HOST are ignored once it exists).
EMAIL_MODE = envchoice("EMAIL_MODE", "capture", ("capture", "smtp"))
if EMAIL_MODE == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": envstr("SMTP_HOST", "localhost"),
                "port": envint("SMTP_PORT", 587, minimum=1),
                "username": envstr("SMTP_USER"),
                "password": envstr("SMTP_PASSWORD"),
                "use_tls": envbool("SMTP_STARTTLS", False),
                "use_ssl": envbool("SMTP_SSL", False),
                "timeout": envint("SMTP_TIMEOUT", 20, minimum=1),
            },
        }
    }
else:
    # Captured locally: every message is also a row in the outbox
    # (Kotak keluar); the file copy is what a real mail client would get.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(DATA_DIR / "mail")},
        }
    }
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Verifikasi Daring <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_MAX_ATTEMPTS = envint("EMAIL_MAX_ATTEMPTS", 6, minimum=1)
EMAIL_RETRY_BASE_SECONDS = envint("EMAIL_RETRY_BASE_SECONDS", 120, minimum=0)

# Uploads (spec B.5: documents as PDF) and retention (UU No. 27/2022: processing
# ends when the retention period ends; the expiry job deletes what is past it).
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024
UPLOAD_MAX_PAGES = envint("UPLOAD_MAX_PAGES", 100, minimum=1)
UPLOAD_CHECK_TIMEOUT_SECONDS = envint("UPLOAD_CHECK_TIMEOUT_SECONDS", 20, minimum=1)
# The NIK hint on a KTP (issue 20): Tesseract from the distribution (tesseract-ocr and
# tesseract-ocr-ind), run by the worker. Without it there is no hint, and /healthz says so.
OCR_ENABLED = envbool("OCR_ENABLED", True)
OCR_TESSERACT_CMD = envstr("OCR_TESSERACT_CMD", "tesseract")
OCR_TIMEOUT_SECONDS = envint("OCR_TIMEOUT_SECONDS", 60, minimum=1)
DOCUMENT_RETENTION_DAYS = envint("DOCUMENT_RETENTION_DAYS", 5 * 365, minimum=1)
RECORDING_RETENTION_DAYS = envint("RECORDING_RETENTION_DAYS", 5 * 365, minimum=1)

# Video calls (spec C.3–C.5). Each office's Zoom credentials are in its
# meeting settings (admin); these point the client at Zoom (tests: a fake).
ZOOM_API_URL = envstr("ZOOM_API_URL", "https://api.zoom.us").rstrip("/")
ZOOM_OAUTH_URL = envstr("ZOOM_OAUTH_URL", "https://zoom.us").rstrip("/")
RECORDING_MAX_BYTES = envint("RECORDING_MAX_MB", 2048, minimum=1) * 1024 * 1024

# WhatsApp copies of key emails (issue 20). Each office's Cloud API account is in
# its WhatsApp settings (admin); these bound the client's calls and retries.
WHATSAPP_TIMEOUT_SECONDS = envint("WHATSAPP_TIMEOUT_SECONDS", 15, minimum=1)
WHATSAPP_MAX_ATTEMPTS = envint("WHATSAPP_MAX_ATTEMPTS", 5, minimum=1)
WHATSAPP_RETRY_BASE_SECONDS = envint("WHATSAPP_RETRY_BASE_SECONDS", 120, minimum=0)

# Which office the public pages and vendor signup belong to.
DEFAULT_OFFICE_CODE = envstr("DEFAULT_OFFICE_CODE", "ketapang")

# Security. Django's own Content-Security-Policy: no inline script anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Django's database sessions; the load's query is precompiled (core.sessionload).
SESSION_ENGINE = "verifikasi.core.sessionload"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", HTTPS)
# Proxies whose X-Forwarded-For is believed (IPs/CIDRs, e.g. 127.0.0.1 behind the
# documented nginx). Empty: no forwarding header is believed, the socket peer is
# the client. Every rate limit, lockout, audit and consent record uses the result
# (verifikasi.accounts.client_ip).
try:
    TRUSTED_PROXIES = envnetworks("TRUSTED_PROXIES")
except ImproperlyConfigured as e:
    raise DjangoImproperlyConfigured(str(e)) from None
if envbool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [SITE_URL])
SILENCED_SYSTEM_CHECKS = envlist("SILENCED_SYSTEM_CHECKS", [])

# Certificates (spec C.6.b): the office's signing key as PKCS#12; create a
# self-signed one with `manage.py create_signing_certificate`.
CERTIFICATE_P12_PATH = envstr("CERTIFICATE_P12_PATH", str(DATA_DIR / "certificate-signing.p12"))
CERTIFICATE_P12_PASSWORD = envstr("CERTIFICATE_P12_PASSWORD", "")

# The audit chain's daily anchor (head hash and count) is appended here and
# emailed to each office's coordinator; keep the file on other storage than
# the database (docs/operations.md).
AUDIT_ANCHOR_FILE = envstr("AUDIT_ANCHOR_FILE") or str(DATA_DIR / "audit-anchors.txt")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
