"""Public pages: the service standard, the survey form (by its emailed token), the summary."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from verifikasi.core.http import private_file
from verifikasi.offices.models import Office
from verifikasi.offices.selectors import office_default

from .forms import SurveyForm
from .invitations import invitation_for_token, survey_respond
from .selectors import survey_summaries
from .standard import LAPOR_URL, service_standard_for, service_standard_sections


@require_GET
def standard_page(request, office_code=None):
    """Standar Pelayanan (PermenPANRB 15/2014) of the office, for anyone."""
    office = office_default() if office_code is None else \
        get_object_or_404(Office, code=office_code)
    standard = service_standard_for(office)
    return render(request, "survey/standard.html", {
        "office": office, "standard": standard, "lapor_url": LAPOR_URL,
        "sections": service_standard_sections(standard)})


@require_http_methods(["GET", "POST"])
def survey_form(request, token):
    """The SKM questionnaire behind the emailed link; one answer set per invitation.

    Whoever holds the link may answer (as with the receipt link); nothing about
    them is stored with the answers.
    """
    invitation = invitation_for_token(token)
    if invitation is None:
        raise Http404
    form = SurveyForm(request.POST if request.method == "POST" else None)
    status, done, stored = 200, invitation.used, False
    if request.method == "POST" and not done:
        if form.is_valid():
            try:
                survey_respond(invitation=invitation, answers=form.cleaned_data,
                               suggestion=form.cleaned_data["suggestion"], request=request)
            except ValidationError as e:
                form.add_error(None, e)
                status = 400
            else:
                done = stored = True
        else:
            status = 400
    response = render(request, "survey/form.html", {
        "office": invitation.office, "form": form, "done": done,
        "thanks": stored}, status=status)
    response["Referrer-Policy"] = "same-origin"  # the token never leaves the site
    return private_file(response)


@require_GET
def survey_public(request):
    """The office's IKM per semester, without any free text."""
    office = office_default()
    return render(request, "survey/public.html", {
        "office": office, "summaries": survey_summaries(office)})
