"""The file default of an email as a starting text an office admin can edit.

The files use translation tags, ``{% url %}`` and the scheduling library's
``{% slot_label %}``, none of which an office text may use; this rewrites them into the
allowed form (Indonesian source text, ``{{ home_url }}``, ``|date``/``|time``). When the
result does not pass the office-text check, the form simply starts empty.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from .message_catalog import CATALOG
from .office_templates import compile_text

EMAILS = Path(settings.BASE_DIR) / "verifikasi" / "templates" / "emails"
SLOT = '{{{{ {start}|date:"l, j F Y H:i" }}}}–{{{{ {end}|time:"H:i" }}}}'

_DROP = re.compile(r"{%\s*(load [^%]*|autoescape off|endautoescape|endblocktranslate|"
                   r"timezone [^%]*|endtimezone)\s*%}")
_TRANSLATE = re.compile(r"""{%\s*translate\s+(["'])(.*?)\1\s*%}""", re.S)
_BLOCK = re.compile(r"{%\s*blocktranslate(?:\s+with\s+([^%]*?))?\s*%}")
_PAIR = re.compile(r"""(\w+)=((?:"[^"]*"|'[^']*'|[^\s"'])+)""")
_SLOT_AS = re.compile(r"{%\s*slot_label\s+(\S+)\s+(\S+)\s+office\s+as\s+(\w+)\s*%}")
_SLOT = re.compile(r"{%\s*slot_label\s+(\S+)\s+(\S+)\s+office\s*%}")
_LINK = re.compile(r"{{\s*SITE_URL\s*}}{%\s*url [^%]*%}")
_COUNT = re.compile(r"{%\s*blocktranslate count (\w+)=([^%]*?)\s*%}.*?{%\s*plural\s*%}(.*?)"
                    r"{%\s*endblocktranslate\s*%}", re.S)
_TZ = re.compile(r"\|timezone:[\w.]+")


def _var(name: str) -> re.Pattern:
    return re.compile(r"{{\s*" + re.escape(name) + r"\s*}}")


def _slot(start: str, end: str) -> str:
    return SLOT.format(start=start, end=end)


def _convert(source: str) -> str:
    names: dict[str, str] = {}  # a blocktranslate's "with" names → what they stand for

    def block(match):
        for name, value in _PAIR.findall(match.group(1) or ""):
            names[name] = "{{ " + _TZ.sub("", value) + " }}"
        return ""

    def slot_as(match):
        names[match.group(3)] = _slot(match.group(1), match.group(2))
        return ""

    def count(match):
        return _var(match.group(1)).sub("{{ " + match.group(2) + " }}", match.group(3))

    text = _LINK.sub("{{ home_url }}", source)
    text = _SLOT_AS.sub(slot_as, text)
    text = _SLOT.sub(lambda m: _slot(m.group(1), m.group(2)), text)
    text = _COUNT.sub(count, text)
    text = _TRANSLATE.sub(lambda m: m.group(2), text)
    text = _BLOCK.sub(block, text)
    text = _DROP.sub("", text)
    for name, replacement in names.items():
        text = _var(name).sub(lambda _m, r=replacement: r, text)
    return text.strip()


def default_text(key: str) -> dict:
    """``{"subject", "body"}`` from the files, ready to edit; empty when not convertible."""
    message = CATALOG[key]
    try:
        subject = " ".join(_convert((EMAILS / key / "subject.txt").read_text()).split())
        body = _convert((EMAILS / key / "body.txt").read_text())
        compile_text(message, subject)
        compile_text(message, body)
    except (OSError, ValidationError):
        return {}
    return {"subject": subject, "body": body}
