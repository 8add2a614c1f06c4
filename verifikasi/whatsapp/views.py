"""The vendor's WhatsApp opt-in page and Meta's webhook."""

import hmac
import json
import logging

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from verifikasi.accounts.decorators import vendor_required
from verifikasi.core.http import private_file

from .forms import ContactForm
from .messages import MESSAGES
from .models import WhatsAppContact, WhatsAppSettings
from .services import whatsapp_contact_set, whatsapp_statuses_apply
from .transport import signature_valid

logger = logging.getLogger(__name__)


@vendor_required
@require_http_methods(["GET", "POST"])
def contact(request):
    current = WhatsAppContact.objects.filter(user=request.user).first()
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            whatsapp_contact_set(user=request.user, phone=form.cleaned_data["phone"],
                                 opted_in=form.cleaned_data["opted_in"], request=request)
            messages.success(request, _("Pengaturan WhatsApp disimpan.")
                             if form.cleaned_data["opted_in"] else
                             _("Anda tidak akan menerima pemberitahuan melalui WhatsApp."))
            return redirect("whatsapp_contact")
    else:
        form = ContactForm(initial={"phone": current.phone if current else "",
                                    "opted_in": bool(current and current.opted_in)})
    return private_file(render(request, "whatsapp/contact.html", {
        "form": form, "contact": current, "messages_list": [m.label for m in MESSAGES],
    }))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request):
    """Meta's webhook: the verification handshake (GET), and signed delivery statuses (POST).

    403 for a wrong verify token or signature (nothing changes), 400 for a body
    that is not JSON, 200 otherwise (so Meta does not send it again).
    """
    if request.method == "GET":
        token = request.GET.get("hub.verify_token", "")
        challenge = request.GET.get("hub.challenge", "")
        if request.GET.get("hub.mode") != "subscribe" or not token or not _token_known(token):
            return HttpResponse("forbidden", status=403, content_type="text/plain")
        return HttpResponse(challenge, content_type="text/plain")
    body = request.body
    offices = _signed_by(body, request.headers.get("x-hub-signature-256", ""))
    if not offices:
        logger.warning("whatsapp webhook: signature matches no office")
        return HttpResponse("invalid signature", status=403, content_type="text/plain")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return HttpResponseBadRequest("malformed JSON", content_type="text/plain")
    if not isinstance(payload, dict):
        return HttpResponseBadRequest("malformed payload", content_type="text/plain")
    changed = sum(whatsapp_statuses_apply(office=office, payload=payload) for office in offices)
    return JsonResponse({"updated": changed})


def _token_known(token: str) -> bool:
    found = False
    for known in WhatsAppSettings.objects.exclude(verify_token="").values_list(
            "verify_token", flat=True):
        found |= hmac.compare_digest(known.encode(), token.encode())
    return found


def _signed_by(body: bytes, header: str) -> list:
    """The offices whose app secret signed this body (several when they share a Meta app)."""
    return [s.office for s in WhatsAppSettings.objects.exclude(app_secret="").select_related(
        "office") if signature_valid(app_secret=s.app_secret, body=body, header=header)]
