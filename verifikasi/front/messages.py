"""Teks email: the office admin edits the subject and text of each email the app sends.

Views read, ``notifications.office_templates`` writes; the ``edit_messages`` office
action of the lifecycle map says who may (the office's Admin LPSE).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from verifikasi.accounts.decorators import office_staff_required
from verifikasi.core.http import private_file
from verifikasi.notifications import office_templates as texts
from verifikasi.notifications.message_catalog import CATALOG, MESSAGES, NOT_EDITABLE, variables_of
from verifikasi.notifications.office_defaults import default_text
from verifikasi.registrations import workflow

SYNTAX_HINT = gettext_lazy(
    "Tulis variabel di antara {{ dan }}, misalnya {{ registration.company_name }}. Boleh "
    "memakai {% if … %}…{% endif %} dan {% for … %}…{% endfor %}; tanggal dengan filter "
    "date, misalnya {{ appointment.start|date:\"l, j F Y H:i\" }}.")


class MessageForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subjek"), max_length=texts.SUBJECT_MAX)
    body = forms.CharField(label=gettext_lazy("Isi email"), max_length=texts.BODY_MAX,
                           widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "true"}))


def _office(request):
    office = request.user.office
    workflow.require_office("edit_messages", office, request.user)
    return office


def _message(key):
    message = CATALOG.get(key)
    if message is None:
        raise Http404
    return message


@office_staff_required
def message_list(request):
    office = _office(request)
    edited = texts.office_message_keys(office)
    return private_file(render(request, "front/messages.html", {
        "rows": [{"message": m, "edited": m.key in edited} for m in MESSAGES],
        "not_editable": sorted(NOT_EDITABLE.items()),
        "whatsapp": texts.whatsapp_template_names(office),
    }))


@office_staff_required
def message_edit(request, key):
    office = _office(request)
    message = _message(key)
    current = texts.office_message_get(office=office, key=key)
    # Without an office text the form starts from the file default, in the allowed form.
    initial = ({"subject": current.subject, "body": current.body} if current
               else default_text(key))
    form = MessageForm(request.POST or None, initial=initial)
    preview, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = {"subject": form.cleaned_data["subject"], "body": form.cleaned_data["body"]}
            try:
                if request.POST.get("aksi") == "pratinjau":
                    preview = texts.message_preview(office=office, key=key, **data)
                    status = 200
                else:
                    texts.office_message_save(office=office, key=key, actor=request.user,
                                              request=request, **data)
                    messages.success(request, _("Teks email tersimpan. Email berikutnya "
                                                "memakai teks ini."))
                    return redirect("message_edit", key=key)
            except ValidationError as e:
                form.add_error(None, e)
    elif current is not None:
        preview = texts.message_preview(office=office, key=key, subject=current.subject,
                                        body=current.body)
    return private_file(render(request, "front/message_edit.html", {
        "message": message, "form": form, "current": current, "preview": preview,
        "variables": variables_of(message), "syntax_hint": SYNTAX_HINT,
        "history": texts.office_message_history(office=office, key=key),
    }, status=status))


@require_POST
@office_staff_required
def message_revert(request, key):
    office = _office(request)
    _message(key)
    if texts.office_message_revert(office=office, key=key, actor=request.user,
                                   request=request):
        messages.success(request, _("Teks email dikembalikan ke bawaan."))
    return redirect("message_edit", key=key)
