from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .models import OutboundEmail


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
    return render(request, "notifications/outbox.html", {"emails": emails})


@login_required
def outbox_detail(request, code):
    email = get_object_or_404(_outbox_for(request), code=code)
    if not email.body_readable:
        email.body_text = email.body_html = ""  # an account email: never on a page
    return render(request, "notifications/outbox_detail.html", {"email": email})
