"""The English catalogue is complete and its compiled .mo matches the .po.

Indonesian is the source language (the msgids); English is the translation in
``verifikasi/locale/en/LC_MESSAGES/django.po``. After ``makemessages -l en`` new
strings arrive empty and msgmerge's guesses arrive marked fuzzy; both must be
translated, and ``compilemessages -l en`` run, before these tests pass.

The .po is read with a small stdlib parser, so no gettext tools or database
are needed.
"""

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

LOCALE_DIR = Path(__file__).resolve().parents[2] / "verifikasi" / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')
_CONTINUATION = re.compile(r'^"(.*)"\s*$')


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[0]), text)


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    has_msgid: bool = False

    def label(self) -> str:
        ctx = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"line {self.line}: {ctx}{self.msgid[:70]!r}"

    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        count = max(self.msgstr_plural, default=-1) + 1
        return [self.msgstr_plural.get(i, "") for i in range(count)]


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file (the header included, as the entry with msgid "")."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None  # the field a continuation line extends

    def finish():
        nonlocal current, target
        if current is not None and current.has_msgid:
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):  # previous msgid of an obsolete entry
                continue
        elif line.startswith("#"):
            if current is not None and current.has_msgid:
                finish()  # a comment after a complete entry starts a new one
            if current is None:
                current = Entry(line=number)
            if line.startswith("#,"):
                current.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, text = match[1], match[2], _unescape(match[3])
            if keyword in ("msgctxt", "msgid") and current is not None and (
                    current.msgstr or current.msgstr_plural):
                finish()  # entries not separated by a blank line
            if current is None:
                current = Entry(line=number)
            current.obsolete = current.obsolete or obsolete
            if keyword == "msgctxt":
                current.msgctxt, target = text, ("msgctxt", None)
            elif keyword == "msgid":
                current.msgid, target = text, ("msgid", None)
                current.has_msgid = True
            elif keyword == "msgid_plural":
                current.msgid_plural, target = text, ("msgid_plural", None)
            elif index is None:
                current.msgstr, target = text, ("msgstr", None)
            else:
                current.msgstr_plural[int(index)] = text
                target = ("msgstr_plural", int(index))
            continue
        match = _CONTINUATION.match(line)
        assert match and current is not None and target is not None, \
            f"{path.name}:{number}: cannot parse {raw!r}"
        text = _unescape(match[1])
        name, index = target
        if name == "msgstr_plural":
            current.msgstr_plural[index] += text
        else:
            setattr(current, name, getattr(current, name) + text)
    finish()
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(PO_PATH)


@pytest.fixture(scope="module")
def messages(entries) -> list[Entry]:
    """The live translatable entries: no header, no obsolete (#~) leftovers."""
    return [e for e in entries if e.msgid and not e.obsolete]


def _nplurals(entries) -> int:
    header = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    match = re.search(r"nplurals\s*=\s*(\d+)", header.msgstr)
    assert match, "the header has no Plural-Forms"
    return int(match[1])


def test_the_catalogue_is_english_utf8_with_two_plural_forms(entries, messages):
    header = entries[0]
    assert header.msgid == ""
    assert "Language: en\n" in header.msgstr
    assert "charset=UTF-8" in header.msgstr
    assert _nplurals(entries) == 2
    assert len(messages) > 900  # parsed the whole file, not a truncated piece


def test_no_entry_is_fuzzy(messages):
    fuzzy = [e.label() for e in messages if "fuzzy" in e.flags]
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries (translate, then drop the flag):\n" + \
        "\n".join(fuzzy)


def test_every_entry_is_translated(entries, messages):
    nplurals = _nplurals(entries)
    empty = []
    for e in messages:
        forms = e.translations()
        if e.msgid_plural is not None and len(forms) != nplurals:
            empty.append(f"{e.label()} has {len(forms)} plural forms, expected {nplurals}")
        elif any(not form.strip() for form in forms):
            empty.append(e.label())
    assert not empty, f"{len(empty)} untranslated entries:\n" + "\n".join(empty)


def test_no_entry_is_duplicated(messages):
    seen, duplicates = set(), []
    for e in messages:
        key = (e.msgctxt, e.msgid)
        if key in seen:
            duplicates.append(e.label())
        seen.add(key)
    assert not duplicates, "\n".join(duplicates)


_PERCENT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdif]|%%")
_BRACE = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?::[^}]*)?\}")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def test_placeholders_and_markup_are_kept(messages):
    """A lost %(name)s or <a href> breaks the page or the email at runtime."""
    wrong = []
    for e in messages:
        for form in e.translations():
            for pattern in (_PERCENT, _BRACE, _TAG):
                source = sorted(pattern.findall(e.msgid))
                if e.msgid_plural is not None:  # a plural form may drop the count
                    source = sorted(set(source) | set(pattern.findall(e.msgid_plural)))
                    if not set(pattern.findall(form)) <= set(source):
                        wrong.append(f"{e.label()} -> {form!r}")
                elif sorted(pattern.findall(form)) != source:
                    wrong.append(f"{e.label()} -> {form!r}")
    assert not wrong, "placeholders or tags differ:\n" + "\n".join(wrong)


def test_the_compiled_mo_matches_the_po(messages):
    """Every msgid in the .po translates to its msgstr through the .mo: compilemessages ran."""
    assert MO_PATH.exists(), "django.mo is missing: run compilemessages -l en"
    with MO_PATH.open("rb") as fp:
        mo = gettext.GNUTranslations(fp)
    stale = []
    for e in messages:
        if e.msgid_plural is None:
            got = [mo.pgettext(e.msgctxt, e.msgid) if e.msgctxt is not None
                   else mo.gettext(e.msgid)]
        else:
            # n=1 selects form 0 and n=2 form 1 under plural=(n != 1).
            got = [mo.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n) if e.msgctxt is not None
                   else mo.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2)]
        if got != e.translations():
            stale.append(f"{e.label()}: .mo gives {got!r}, .po says {e.translations()!r}")
    assert not stale, (f"django.mo is out of date for {len(stale)} entries "
                       "(run compilemessages -l en):\n" + "\n".join(stale[:20]))


def test_the_parser_reads_multiline_plural_and_obsolete_entries(tmp_path):
    po = tmp_path / "sample.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid ""\n"Satu %(n)s "\n"baris\\n"\n'
        'msgstr "One %(n)s line\\n"\n\n'
        '#, python-format\nmsgctxt "ctx"\nmsgid "%(n)s berkas"\nmsgid_plural "%(n)s berkas"\n'
        'msgstr[0] "%(n)s file"\nmsgstr[1] ""\n"%(n)s files"\n\n'
        '#~ msgid "Lama"\n#~ msgstr "Old \\"quoted\\""\n',
        encoding="utf-8")
    header, first, plural, old = parse_po(po)
    assert header.msgid == "" and "nplurals=2" in header.msgstr
    assert (first.msgid, first.msgstr) == ("Satu %(n)s baris\n", "One %(n)s line\n")
    assert first.flags == {"fuzzy", "python-format"}
    assert plural.msgctxt == "ctx" and plural.msgid_plural == "%(n)s berkas"
    assert plural.translations() == ["%(n)s file", "%(n)s files"]
    assert old.obsolete and old.msgstr == 'Old "quoted"'


def test_no_translation_call_hides_inside_an_f_string():
    """xgettext (makemessages) cannot see ``_("…")`` inside an f-string: such a msgid drops
    out of the catalogue at the next makemessages and the English page shows Indonesian."""
    import ast

    names = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext",
             "pgettext_lazy", "npgettext"}
    hidden = []
    for path in sorted((LOCALE_DIR.parents[2]).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                for call in ast.walk(node):
                    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                            and call.func.id in names):
                        hidden.append(f"{path.name}:{call.lineno}")
    assert not hidden, f"translation calls inside f-strings: {hidden}"
