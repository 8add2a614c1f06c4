"""The queue's rows are written in Python (registrations/queue_rows.py, issue 16): the
markup must be exactly what the template loop wrote before, for every kind of row
(late, running, deficiency deadline near or far or past, no clock, assigned or not,
names that need escaping), for a verifier and for a coordinator (the assign form)."""

# ruff: noqa: E501 - the template verbatim
import datetime
import re

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user
from tests.registrations.factories import make_registration
from verifikasi.accounts.models import Role
from verifikasi.registrations.models import RegistrationStatus as S

# The loop of registrations/staff/queue.html before issue 16, verbatim.
TEMPLATE_ROW = """{% load i18n %}{% for r in page %}
      <tr{% if r.overdue %} class="overdue"{% endif %}>
        <td><a href="{% url 'staff_review' r.code %}">{{ r.company_name|default:r.vendor.email }}</a><div class="hint">NPWP {{ r.npwp_display|default:r.npwp|default:"—" }} · NIB {{ r.nib|default:"—" }}</div></td>
        <td><span class="badge status-{{ r.status }}">{{ r.get_status_display }}</span></td>
        <td>{{ r.status_changed_at|timesince }}</td>
        <td>{% if r.sla_left is not None %}{% if r.sla_late %}<span class="badge badge-missing">{% blocktranslate count n=r.sla_late %}Terlambat {{ n }} hari kerja{% plural %}Terlambat {{ n }} hari kerja{% endblocktranslate %}</span>{% else %}{% blocktranslate count n=r.sla_left %}Sisa {{ n }} hari kerja{% plural %}Sisa {{ n }} hari kerja{% endblocktranslate %}{% endif %}<div class="hint">{% translate "waktu pelayanan" %}</div>
          {% elif r.deadline_left is not None %}<span class="badge {% if r.deadline_left < 0 %}badge-missing{% elif r.deadline_left <= 3 %}badge-warning{% else %}badge-info{% endif %}">{{ r.deadline_text }}</span><div class="hint">{% blocktranslate with date=r.revision_deadline|date:"SHORT_DATE_FORMAT" %}perbaikan s.d. {{ date }}{% endblocktranslate %}</div>
          {% else %}—{% endif %}</td>
        <td>{{ r.assigned_to|default:"—" }}</td>
        <td>
          {% if not r.assigned_to %}
            <form method="post" action="{% url 'staff_take' r.code %}">{% csrf_token %}<button type="submit" class="button small">{% translate "Ambil" %}</button></form>
          {% endif %}
          {% if verifiers %}
            <form method="post" action="{% url 'staff_assign' r.code %}" class="inline">{% csrf_token %}
              <input type="hidden" name="next" value="{{ request.get_full_path }}">
              <label class="visually-hidden" for="assign-{{ r.code }}">{% translate "Tugaskan kepada" %}</label>
              <select name="verifier" id="assign-{{ r.code }}">{% for v in verifiers %}<option value="{{ v.code }}" {% if v.pk == r.assigned_to_id %}selected{% endif %}>{{ v }}</option>{% endfor %}</select>
              <button type="submit" class="button small secondary">{% translate "Tugaskan" %}</button>
            </form>
          {% endif %}
        </td>
      </tr>
    {% endfor %}"""


def unmasked(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"',
                  html)


@pytest.fixture
def every_kind(vendor, office, verifier):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    rows = [
        dict(status=S.SUBMITTED, company_name="CV <Tanda> & \"Kutip\"", assigned_to=verifier,
             sla_running_since=today - 40 * day, sla_due_on=today - 20 * day),
        dict(status=S.SUBMITTED, company_name="CV Masih Ada Waktu",
             sla_running_since=today, sla_due_on=today + 20 * day),
        dict(status=S.REVISION_REQUESTED, company_name="CV Jauh",
             revision_deadline=today + 30 * day),
        dict(status=S.REVISION_REQUESTED, company_name="CV Dekat",
             revision_deadline=today + 1 * day, assigned_to=verifier),
        dict(status=S.REVISION_REQUESTED, company_name="CV Lewat",
             revision_deadline=today - 10 * day),
        dict(status=S.DRAFT, company_name="", npwp="", npwp_display="", nib=""),
    ]
    for n, fields in enumerate(rows):
        fields.setdefault("npwp", f"{n + 1:016d}")
        fields.setdefault("nib", f"{n + 1:013d}")
        make_registration(vendor, office, **fields)


@pytest.mark.parametrize("who", [Role.VERIFIER, Role.COORDINATOR])
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_rows_are_the_templates_rows(client, office, verifier, every_kind, who,
                                         language):
    from tests.conftest import login

    person = verifier if who == Role.VERIFIER else make_user(
        "koor-rows@lpse.test", Role.COORDINATOR, office, totp=True, full_name="Koor <B>")
    login(client, person)
    client.cookies["django_language"] = language
    response = client.get(reverse("staff_queue"), {"status": "all", "q": ""})
    assert response.status_code == 200
    rows = response.context["page"].rows
    assert len(rows) == 6
    assert bool(response.context["verifiers"]) == (who == Role.COORDINATOR)
    expected = engines["django"].from_string(TEMPLATE_ROW).render(
        {"page": rows, "verifiers": response.context["verifiers"]},
        request=response.wsgi_request)
    written = "".join(r.row_html for r in rows)
    # A CSRF token is masked afresh for each render; any of them is valid.
    assert unmasked(written) == unmasked(expected)
    html = response.content.decode()
    assert unmasked(written) in unmasked(html)
    assert "&lt;Tanda&gt; &amp; &quot;Kutip&quot;" in html
    service_time = "service time" if language == "en" else "waktu pelayanan"
    assert written.count(service_time) == 2  # one late, one running
    for tone in ("badge-missing", "badge-warning", "badge-info"):
        assert tone in written


@pytest.mark.parametrize("who", [Role.VERIFIER, Role.COORDINATOR])
def test_more_rows_cost_no_more_queries(client, office, vendor, verifier, every_kind, who,
                                        settings):
    # The rows load only the columns they show (staff_queue.QUEUE_COLUMNS): a column left
    # out would cost one query per row, which this would see.
    settings.PERSONAL_PAGE_MEMO_SECONDS = 0  # every request builds its rows (queue_memo)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import login

    person = verifier if who == Role.VERIFIER else make_user(
        "koor-rows@lpse.test", Role.COORDINATOR, office, totp=True)
    login(client, person)
    url = reverse("staff_queue")
    client.get(url, {"status": "all"})
    with CaptureQueriesContext(connection) as six:
        assert len(client.get(url, {"status": "all"}).context["page"].rows) == 6
    today = timezone.localdate()
    for n in range(6):
        make_registration(vendor, office, status=S.REVISION_REQUESTED, assigned_to=verifier,
                          company_name=f"CV Tambahan {n}", npwp=f"{n + 50:016d}",
                          nib=f"{n + 50:013d}", sla_running_since=today,
                          sla_due_on=today, revision_deadline=today)
    with CaptureQueriesContext(connection) as twelve:
        assert len(client.get(url, {"status": "all"}).context["page"].rows) == 12
    assert len(twelve) == len(six)
