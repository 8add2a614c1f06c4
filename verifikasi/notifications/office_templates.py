"""Email texts edited by the office: checked, stored, rendered in place of the files.

The files under ``templates/emails/`` stay the defaults. An office admin may replace an
email's subject and text for their office (``OfficeMessage``); ``email_queue`` then renders
that text with the same context. The text is a Django template limited to the variables
the catalog documents and the tags ``if`` and ``for``: no ``{% load %}``, no other tag,
no other attribute of the objects in the context (which could reach personal data).
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.base import FilterExpression, Lexer, TextNode, TokenType, VariableNode
from django.template.defaultfilters import linebreaks_filter, urlize
from django.template.defaulttags import ForNode, IfNode
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verifikasi.core.audit import audit_log
from verifikasi.core.models import AuditEvent

from .message_catalog import CATALOG, Message, variables_of
from .models import OfficeMessage

# The engine office texts are compiled with: Django's built-in tags and filters only,
# no app libraries, no loaders (so no {% include %} or {% extends %} can reach a file).
ENGINE = Engine(debug=True, libraries={}, builtins=[], loaders=[])

ALLOWED_TAGS = {"if", "elif", "else", "endif", "for", "empty", "endfor"}
ALLOWED_FILTERS = {"date", "time", "default", "join", "upper", "lower", "title", "length",
                   "yesno", "pluralize", "floatformat", "linebreaksbr", "slice"}
FORLOOP = {"forloop.counter", "forloop.counter0", "forloop.first", "forloop.last"}
SUBJECT_MAX = 255
BODY_MAX = 20000

ERR_LOAD = _("{% load %} tidak diizinkan: teks email hanya boleh memakai variabel yang "
             "tercantum serta tag if dan for.")
ERR_TAG = _("Tag {%% %(tag)s %%} tidak diizinkan (baris %(line)s). Yang boleh: if, elif, "
            "else, endif, for, empty, endfor.")
ERR_VARIABLE = _("Variabel \"%(name)s\" tidak tersedia untuk email ini (baris %(line)s). "
                 "Pakai salah satu variabel yang tercantum.")
ERR_FILTER = _("Filter \"%(name)s\" tidak diizinkan (baris %(line)s). Yang boleh: %(allowed)s.")
ERR_SYNTAX = _("Penulisan templat salah (baris %(line)s): periksa pasangan {%% if %%}/"
               "{%% endif %%} dan {%% for %%}/{%% endfor %%} serta tanda {{ }}.")
ERR_EMPTY = _("Subjek dan isi email wajib diisi.")
ERR_TOO_LONG = _("Subjek paling panjang 255 karakter dan isi paling panjang 20.000 karakter.")
ERR_UNKNOWN = _("Email ini tidak ada dalam katalog.")

_whatsapp_provider: Callable | None = None


def whatsapp_names_provider(func: Callable) -> Callable:
    """Register ``func(office) -> [(label, template name)]``: the WhatsApp app's template
    names, shown read-only beside the emails (notifications cannot import that app)."""
    global _whatsapp_provider
    _whatsapp_provider = func
    return func


def whatsapp_template_names(office) -> list | None:
    """The office's WhatsApp template names, or None when no WhatsApp app is installed."""
    return None if _whatsapp_provider is None else list(_whatsapp_provider(office))


# ---------- Checking a text ----------

def _refuse(message, **params):
    raise ValidationError(message % params if params else message)


def _check_tags(source: str) -> None:
    for token in Lexer(source).tokenize():
        if token.token_type != TokenType.BLOCK:
            continue
        name = (token.contents.split() or [""])[0]
        if name == "load":
            _refuse(ERR_LOAD)
        if name not in ALLOWED_TAGS:
            _refuse(ERR_TAG, tag=name, line=token.lineno)


class _Checker:
    def __init__(self, message: Message, line: int):
        self.line = line
        self.plain = {v.name for v in variables_of(message)}
        self.lists = {v.name: v.fields for v in variables_of(message) if v.fields or
                      isinstance(v.sample, list)}

    def expression(self, fe: FilterExpression, scope: dict) -> None:
        var = fe.var
        if getattr(var, "lookups", None) is not None:
            self.variable(".".join(var.lookups), scope)
        for func, args in fe.filters:
            name = getattr(func, "_filter_name", getattr(func, "__name__", "?"))
            if name not in ALLOWED_FILTERS:
                _refuse(ERR_FILTER, name=name, line=self.line,
                        allowed=", ".join(sorted(ALLOWED_FILTERS)))
            for lookup, arg in args:
                if lookup and arg.lookups is not None:
                    self.variable(".".join(arg.lookups), scope)

    def variable(self, path: str, scope: dict) -> None:
        if path in self.plain or path in FORLOOP:
            return
        head, _dot, rest = path.partition(".")
        if head in scope and (rest in scope[head] or (not rest and not scope[head])):
            return
        _refuse(ERR_VARIABLE, name=path, line=self.line)

    def condition(self, cond, scope: dict) -> None:
        value = getattr(cond, "value", None)
        if isinstance(value, FilterExpression):
            self.expression(value, scope)
        for part in (getattr(cond, "first", None), getattr(cond, "second", None)):
            if part is not None:
                self.condition(part, scope)

    def nodes(self, nodelist, scope: dict) -> None:
        for node in nodelist:
            self.line = getattr(node, "token", None) and node.token.lineno or self.line
            if isinstance(node, TextNode):
                continue
            if isinstance(node, VariableNode):
                self.expression(node.filter_expression, scope)
            elif isinstance(node, IfNode):
                for cond, body in node.conditions_nodelists:
                    if cond is not None:
                        self.condition(cond, scope)
                    self.nodes(body, scope)
            elif isinstance(node, ForNode):
                self.expression(node.sequence, scope)
                seq = node.sequence.var
                fields = self.lists.get(".".join(getattr(seq, "lookups", None) or ()))
                if fields is None or len(node.loopvars) != 1:
                    _refuse(ERR_VARIABLE, name=str(node.sequence.token), line=self.line)
                inner = {**scope, node.loopvars[0]: set(fields)}
                self.nodes(node.nodelist_loop, inner)
                self.nodes(node.nodelist_empty, scope)
            else:  # the lexer check lets no other node through; refuse rather than trust
                _refuse(ERR_TAG, tag=type(node).__name__, line=self.line)


def compile_text(message: Message, source: str) -> Template:
    """The office's text as a template, or a ValidationError saying what is wrong."""
    _check_tags(source)
    try:
        template = Template(source, engine=ENGINE)
    except TemplateSyntaxError as e:
        line = getattr(e, "template_debug", {}).get("line", "?")
        _refuse(ERR_SYNTAX, line=line)
    _Checker(message, 1).nodes(template.nodelist, {})
    return template


def message_check(*, key: str, subject: str, body: str) -> tuple[Template, Template]:
    message = CATALOG.get(key)
    if message is None:
        _refuse(ERR_UNKNOWN)
    if not subject.strip() or not body.strip():
        _refuse(ERR_EMPTY)
    if len(subject) > SUBJECT_MAX or len(body) > BODY_MAX:
        _refuse(ERR_TOO_LONG)
    return compile_text(message, subject), compile_text(message, body)


# ---------- Rendering ----------

def _extra(context: dict) -> dict:
    return {"home_url": f"{settings.SITE_URL}{reverse('home')}", **context}


def render_text(*, office, key: str, subject: str, body: str, context: dict) -> dict:
    """Subject, plain text and HTML of an office text, as ``email_queue`` would send it.

    The subject and the plain text are not HTML-escaped (as the files' subject.txt and
    body.txt); the HTML part escapes every value, keeps the line breaks and links the
    addresses, inside the same frame as the files' body.html.
    """
    subject_t, body_t = message_check(key=key, subject=subject, body=body)
    context = _extra(context)
    zone = office.tzinfo if office is not None else timezone.get_current_timezone()
    with timezone.override(zone):
        subject_out = subject_t.render(Context(context, autoescape=False))
        text = body_t.render(Context(context, autoescape=False))
        escaped = body_t.render(Context(context, autoescape=True))
    # Template.render returns safe (escaped) text; the filters keep it escaped once.
    html = linebreaks_filter(urlize(escaped, autoescape=True), autoescape=True)
    body_html = render_to_string("notifications/office_message.html",
                                 {"office": office, "content": html})
    return {"subject": " ".join(subject_out.split()), "body_text": text, "body_html": body_html}


def office_message_render(*, office, key: str, context: dict) -> dict | None:
    """The office's own text for email ``key``, rendered; None when the files apply."""
    if office is None or key not in CATALOG:
        return None
    custom = OfficeMessage.objects.filter(office=office, key=key).first()
    if custom is None:
        return None
    try:
        return render_text(office=office, key=key, subject=custom.subject, body=custom.body,
                           context=context)
    except ValidationError:
        # Saved when it was valid; the catalog has changed since. The default still goes out.
        return None


def sample_context(message: Message) -> dict:
    """The variables' sample values as nested dicts, for the preview."""
    context: dict = {}
    for var in variables_of(message):
        *parents, last = var.name.split(".")
        node = context
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = var.sample
    return context


def message_preview(*, office, key: str, subject: str, body: str) -> dict:
    """The text rendered with the catalog's sample data, and this office's own details
    and links as the real email would have them."""
    context = sample_context(CATALOG[key])
    context.pop("home_url")
    context["SITE_URL"] = settings.SITE_URL
    if office is not None:
        context["office"] = office
    return render_text(office=office, key=key, subject=subject, body=body, context=context)


# ---------- Saving, reverting, history ----------

def _event(*, action, office, key, actor, request, old, new) -> None:
    audit_log(action=action, actor=actor, office=office, request=request,
              object_type="notifications.officemessage", object_id=key,
              details={"key": key, "old": old, "new": new})


def _texts(row: OfficeMessage | None) -> dict | None:
    return None if row is None else {"subject": row.subject, "body": row.body}


def office_message_save(*, office, key: str, subject: str, body: str, actor,
                        request=None) -> OfficeMessage:
    """Store the office's text for email ``key`` (checked first; nothing saved if wrong).
    The caller has checked the ``edit_messages`` office action."""
    message_check(key=key, subject=subject, body=body)
    with transaction.atomic():
        row = OfficeMessage.objects.select_for_update().filter(office=office, key=key).first()
        old = _texts(row)
        if row is None:
            try:  # two first saves at once: the unique constraint lets one insert
                with transaction.atomic():
                    row = OfficeMessage.objects.create(office=office, key=key, subject=subject,
                                                       body=body, updated_by=actor)
            except IntegrityError:
                row = OfficeMessage.objects.select_for_update().get(office=office, key=key)
                old = _texts(row)
        row.subject, row.body, row.updated_by = subject, body, actor
        row.save()
        _event(action="office_message.saved", office=office, key=key, actor=actor,
               request=request, old=old, new=_texts(row))
    return row


def office_message_revert(*, office, key: str, actor, request=None) -> bool:
    """Go back to the file default for email ``key``; False when it already applies."""
    with transaction.atomic():
        row = OfficeMessage.objects.select_for_update().filter(office=office, key=key).first()
        if row is None:
            return False
        old = _texts(row)
        row.delete()
        _event(action="office_message.reverted", office=office, key=key, actor=actor,
               request=request, old=old, new=None)
    return True


def office_message_get(*, office, key: str) -> OfficeMessage | None:
    return OfficeMessage.objects.filter(office=office, key=key).first()


def office_message_keys(office) -> set[str]:
    return set(OfficeMessage.objects.filter(office=office).values_list("key", flat=True))


def office_message_history(*, office, key: str, limit: int = 50):
    """Every save and revert of this email's text in this office, newest first."""
    return AuditEvent.objects.filter(
        office=office, object_type="notifications.officemessage", object_id=key,
    ).order_by("-seq")[:limit]
