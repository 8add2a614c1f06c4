from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from verifikasi.core.audit import audit_log
from verifikasi.core.http import private_file

from .models import OutboundEmail

# Other channels' outbox rows (WhatsApp) shown on the same page, below the emails:
# each registered ``func(office)`` returns ``{"template": ..., **context}`` or None.
_PANELS: list = []


def outbox_panel(func):
    if func not in _PANELS:
        _PANELS.append(func)
    return func


def _outbox_for(request):
    """The demo outbox: office staff only, and only in demo mode."""
    if not settings.DEMO_MODE or not request.user.is_office_staff:
        raise Http404
    return OutboundEmail.objects.filter(office=request.user.office)


@login_required
def outbox(request):
    emails = _outbox_for(request).only(
        "code", "subject", "to", "status", "created_at", "attempts"
    )[:200]
    panels = [p for p in (func(request.user.office) for func in _PANELS) if p]
    return render(request, "notifications/outbox.html", {"emails": emails, "panels": panels})


@login_required
def outbox_detail(request, code):
    email = get_object_or_404(_outbox_for(request), code=code)
    if not email.body_readable:
        email.body_text = email.body_html = ""  # an account email: never on a page
    attachments = [{"index": i, "name": att.get("name", ""),
                    "kept": bool(att.get("path")) and default_storage.exists(att["path"])}
                   for i, att in enumerate(email.attachments if email.body_readable else [])]
    return private_file(render(request, "notifications/outbox_detail.html",
                               {"email": email, "attachments": attachments}))


@login_required
def outbox_attachment(request, code, index):
    """One attachment of a sent email (the calendar invite, the certificate), as it went
    out: office staff of that office only, audited, never cached."""
    email = get_object_or_404(_outbox_for(request), code=code)
    if not email.body_readable or not 0 <= index < len(email.attachments):
        raise Http404
    att = email.attachments[index]
    if not att.get("path") or not default_storage.exists(att["path"]):
        raise Http404
    audit_log(action="email.attachment_downloaded", actor=request.user, office=email.office,
              obj=email, request=request, details={"name": att.get("name", "")})
    response = FileResponse(default_storage.open(att["path"], "rb"), as_attachment=True,
                            filename=att.get("name") or "lampiran",
                            content_type=att.get("mimetype") or None)
    return private_file(response)
