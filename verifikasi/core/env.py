"""Typed readers for settings from the environment.

Each helper refuses a malformed value with ImproperlyConfigured instead of
guessing, and secrets may come from a file (``NAME_FILE``), as container and
systemd secret stores provide them. No Django imports: settings.py uses this.
"""

import base64
import binascii
import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit


class ImproperlyConfigured(Exception):  # noqa: N818 - mirrors Django's name
    pass


TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str = "") -> str:
    """The value of NAME, else the content of the file named by NAME_FILE, else default."""
    if name in os.environ:
        return os.environ[name]
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as e:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name}: {e}") from e
    return default


def envbool(name: str, default: bool) -> bool:
    raw = envstr(name, "")
    if name not in os.environ and not os.environ.get(f"{name}_FILE"):
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0/true/false/yes/no/on/off, not {raw!r}")


def envint(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = envstr(name, "")
    if not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def envlist(name: str, default: list[str]) -> list[str]:
    raw = envstr(name, "")
    if not raw.strip():
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def envnetworks(name: str) -> list[str]:
    """A comma-separated list of IP addresses or CIDR networks (e.g. trusted proxies)."""
    items = envlist(name, [])
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an IP address or CIDR network"
            ) from None
    return items


def generate_fernet_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def key_file(path: Path, make) -> str:
    """The key in ``path``, created (mode 600) with ``make()`` if missing.

    Several processes may start at once (gunicorn workers, the worker): the key
    is written to a temporary file and linked into place, so exactly one key
    wins and nobody reads a half-written file.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(make() + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        except OSError:  # a filesystem without hard links: create it exclusively instead
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(tmp.read_text(encoding="utf-8"))
        finally:
            tmp.unlink()
    return path.read_text(encoding="utf-8").strip()


def envsecret(name: str, *, fallback_file: Path | None, make, hint: str) -> str:
    """A key kept outside the database: NAME, NAME_FILE, or (for DEBUG and the
    demo only, when ``fallback_file`` is given) a key file generated in DATA_DIR."""
    value = envstr(name, "").strip()
    if value:
        return value
    if fallback_file is not None:
        return key_file(fallback_file, make)
    raise ImproperlyConfigured(
        f"{name} (or {name}_FILE) must be set when DEBUG is off: {hint}"
    )


def fernet_keys(name: str, raw: str) -> list[str]:
    """Comma-separated Fernet keys, newest first (32 bytes, url-safe base64 each)."""
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    if not keys:
        raise ImproperlyConfigured(f"{name} must hold at least one key")
    for key in keys:
        try:
            ok = len(base64.urlsafe_b64decode(key.encode())) == 32
        except (binascii.Error, ValueError):
            ok = False
        if not ok:
            raise ImproperlyConfigured(
                f"{name}: each key must be 32 bytes in url-safe base64 (44 characters), "
                "as printed by: python3 -c 'import base64,os; "
                "print(base64.urlsafe_b64encode(os.urandom(32)).decode())'"
            )
    return keys


def envchoice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = envstr(name, default).strip() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


PG_CONNECT_TIMEOUT_SECONDS = 5


def database_from_url(url: str, *, base_dir: Path) -> dict:
    """A Django DATABASES entry from sqlite:///path or postgres://user:pass@host:port/name."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if path.startswith("//") or path.startswith("/"):  # sqlite:////abs/path
            path = path[1:]
        if not path:
            raise ImproperlyConfigured("DATABASE_URL: sqlite URL needs a file path")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(base_dir / path) if not path.startswith("/") else path,
            # IMMEDIATE makes concurrent writers queue for the lock instead of
            # failing with "database is locked" halfway through a transaction.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # Opening the file and running the PRAGMAs cost more than a small page's
            # queries: each worker keeps its connection (issue 16).
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    if parts.scheme in ("postgres", "postgresql"):
        if not parts.path.strip("/"):
            raise ImproperlyConfigured("DATABASE_URL: PostgreSQL URL needs a database name")
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured("DATABASE_URL: port must be a number") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.strip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            # A database that does not answer fails fast (a 503 page, a worker that
            # backs off) instead of hanging a request or the worker for minutes.
            "OPTIONS": {"connect_timeout": PG_CONNECT_TIMEOUT_SECONDS},
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with sqlite:/// or postgres://, not {parts.scheme or url!r}:"
    )
