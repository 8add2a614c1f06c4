"""Private storage, and the files a failed unit of work leaves behind.

Every file our storages save is recorded in the current ``files_unit`` (a
request, through ``core.unavailable.ServiceUnavailableMiddleware``). When the
unit fails, a file whose row never committed is removed, so a database failure
after the file was stored leaves no orphan (and no personal data behind):

- saved inside a transaction that did not commit (its on_commit never ran):
  removed;
- saved outside a transaction: removed unless a committed row's FileField
  names it (if the database cannot be asked, it is kept and logged).

A unit that succeeds keeps everything.
"""

import contextlib
import logging
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.storage import FileSystemStorage
from django.db import DatabaseError, connection, models, transaction

logger = logging.getLogger(__name__)


@dataclass
class _Saved:
    storage: object
    name: str
    in_transaction: bool
    committed: bool = False


@dataclass
class FilesUnit:
    saved: list[_Saved] = field(default_factory=list)
    failed: bool = False


_unit: ContextVar[FilesUnit | None] = ContextVar("verifikasi_files_unit", default=None)


@contextlib.contextmanager
def files_unit():
    """Record the files saved inside; if the unit fails, remove the uncommitted ones."""
    unit = FilesUnit()
    token = _unit.set(unit)
    try:
        yield unit
    except BaseException:
        unit.failed = True
        raise
    finally:
        _unit.reset(token)
        if unit.failed:
            _remove_uncommitted(unit)


def _referenced(name: str) -> bool:
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField) and model._default_manager.filter(
                    **{f.name: name}).exists():
                return True
    return False


def _remove_uncommitted(unit: FilesUnit) -> None:
    for saved in unit.saved:
        if saved.committed:
            continue
        if not saved.in_transaction:
            try:
                if _referenced(saved.name):
                    continue
            except DatabaseError:
                logger.warning("kept %s: the database could not say whether a row uses it",
                               saved.name)
                continue
        try:
            saved.storage.delete(saved.name)
            logger.warning("removed %s: stored during a unit of work that failed", saved.name)
        except Exception:
            logger.exception("could not remove %s after a failed unit of work", saved.name)


def _record(storage, name: str) -> None:
    unit = _unit.get()
    if unit is None:
        return
    saved = _Saved(storage=storage, name=name, in_transaction=connection.in_atomic_block)
    unit.saved.append(saved)
    if saved.in_transaction:
        transaction.on_commit(lambda: setattr(saved, "committed", True))


class TrackedSavesMixin:
    """Records each saved file in the current files_unit (see the module's docstring)."""

    def _save(self, name, content):
        name = super()._save(name, content)
        _record(self, name)
        return name


class PrivateFileSystemStorage(TrackedSavesMixin, FileSystemStorage):
    """Local private storage: files are kept outside any public URL.

    url() refuses on purpose, so a template can never leak a direct link to a
    KTP scan or a recording; downloads go through views that check access.
    """

    def url(self, name):
        raise ValueError("Private storage has no public URLs; serve files through a view.")
