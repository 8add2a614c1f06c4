"""What an audit event means, as a sentence in the reader's language.

Histories on staff pages show these sentences instead of the event codes
(``registration.submit``, ``appointment.proposed``, …). Each app describes its
own events in an ``events`` module that calls ``register``; ``CoreConfig.ready``
imports those modules (as the admin does with ``admin`` modules), so this
module never imports a higher layer.

A sentence is a lazy string, formatted with the event's ``details`` when it has
``%(name)s`` placeholders, or a callable ``func(details) -> str`` for events
whose wording depends on them.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

Sentence = str | Callable[[dict], str]
_SENTENCES: dict[str, Sentence] = {}


def register(sentences: Mapping[str, Sentence]) -> None:
    """Describe event codes; an app registers only its own."""
    _SENTENCES.update(sentences)


def known(code: str) -> bool:
    return code in _SENTENCES


def describe(code: str, details: dict | None = None) -> str:
    """The sentence for one event; never the raw code."""
    details = details or {}
    sentence = _SENTENCES.get(code)
    if sentence is None:
        return _("Catatan sistem lainnya")
    if callable(sentence):
        return str(sentence(details))
    text = str(sentence)
    if "%(" in text:
        try:
            return text % {k: v for k, v in details.items() if isinstance(v, str | int)}
        except (KeyError, TypeError, ValueError):
            return text.split(" %(")[0].rstrip(":")
    return text


@dataclass(frozen=True)
class HistoryLine:
    """One line of a history: when, what (a sentence) and who."""

    at: object
    sentence: str
    who: str
    reason: str = ""


def history_lines(events) -> list[HistoryLine]:
    """Audit events as lines a person reads (who is "sistem" for the system's own steps)."""
    lines = []
    for event in events:
        details = event.details or {}
        lines.append(HistoryLine(
            at=event.created_at,
            sentence=describe(event.action, details),
            who=event.actor_email or _("sistem"),
            reason=str(details.get("reason") or "")[:500],
        ))
    return lines
