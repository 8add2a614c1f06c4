"""The queue page's frame (base.html and the page's own text) is kept per role, office and
language (core.pageframe, issue 16): a framed page must be exactly the page the template
wrote before, on the first request and from the kept frame, for a verifier and a
coordinator, in both languages, with the request's own address, CSRF token and messages."""

# ruff: noqa: E501 - the template verbatim
import re

import pytest
from django.core.cache import caches
from django.template import engines
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse

from tests.conftest import login, make_user
from tests.registrations.factories import make_registration
from verifikasi.accounts.models import Role

# registrations/staff/queue.html before the frame (issue 16), verbatim.
OLD_QUEUE_HTML = """{% extends "base.html" %}{% load i18n %}
{% block main_class %}wide{% endblock %}
{% block title %}{% translate "Antrean verifikasi" %} — Verifikasi Daring{% endblock %}
{% block content %}
<h1>{% translate "Antrean verifikasi" %}</h1>
{{ filters_html }}{% partialdef filters %}<form method="get" class="form filters" hx-get="{% url 'staff_queue' %}" hx-target="#queue-results" hx-swap="outerHTML" hx-push-url="true" hx-trigger="change, submit, keyup changed delay:400ms from:input[name=q]">
  <div class="field filter-q">{{ form.q.label_tag }} {{ form.q }}</div>
  <div class="field filter-status">{{ form.status.label_tag }} {{ form.status }}</div>
  <div class="field">{{ form.assigned.label_tag }} {{ form.assigned }}</div>
  <div class="field filter-narrow">{{ form.waited.label_tag }} {{ form.waited }}</div>
  <div class="field check">{{ form.terlambat }} {{ form.terlambat.label_tag }}</div>
  <button type="submit" class="button secondary">{% translate "Terapkan" %}</button>
</form>{% endpartialdef %}
{% partialdef results inline %}
<div id="queue-results">
  {% if page.cursor_error %}<div class="messages"><p class="msg-error" role="alert">{{ page.cursor_error }}</p></div>{% endif %}
  <p class="hint">{% if page.total_capped %}{% blocktranslate with n=page.total|floatformat:"0g" %}Lebih dari {{ n }} pendaftaran cocok.{% endblocktranslate %}{% else %}{% blocktranslate count n=page.total %}{{ n }} pendaftaran cocok.{% plural %}{{ n }} pendaftaran cocok.{% endblocktranslate %}{% endif %}
    {% translate "Yang paling lama menunggu di atas." %}</p>
  <div class="table-wrap" tabindex="0" role="region" aria-label="{% translate "Daftar pendaftaran" %}">
  <table class="table queue">
    <thead><tr><th>{% translate "Perusahaan" %}</th><th>{% translate "Status" %}</th><th>{% translate "Menunggu" %}</th><th>{% translate "Tenggat" %}</th><th>{% translate "Verifikator" %}</th><th></th></tr></thead>
    <tbody>
    {% for r in page %}{# each row's markup: registrations/queue_rows.py (issue 16) #}{{ r.row_html }}{% empty %}
      <tr><td colspan="6">{% translate "Tidak ada pendaftaran yang cocok." %}</td></tr>
    {% endfor %}
    </tbody>
  </table>
  </div>
  {% if page.has_other_pages %}
  <nav class="pagination" aria-label="{% translate 'Halaman antrean' %}">
    {% if page.has_previous %}<a href="?{{ filters_query }}">« {% translate "Pertama" %}</a>
    <a href="?{% if filters_query %}{{ filters_query }}&amp;{% endif %}sebelum={{ page.previous_cursor }}" rel="prev">← {% translate "Sebelumnya" %}</a>{% endif %}
    {% if page.has_next %}<a href="?{% if filters_query %}{{ filters_query }}&amp;{% endif %}setelah={{ page.next_cursor }}" rel="next">{% translate "Berikutnya" %} →</a>{% endif %}
  </nav>
  {% endif %}
</div>
{% endpartialdef %}
{% endblock %}
"""

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


def unmasked(html: str) -> str:
    """CSRF tokens are masked afresh for each use; any of them is valid."""
    return TOKEN.sub(r'\1"', html)


def old_page(response) -> str:
    """What the template wrote for this request before the frame."""
    context = response.context
    values = {name: context[name] for name in ("form", "page", "verifiers", "filters_query")}
    values["filters_html"] = render_to_string("registrations/staff/queue.html#filters",
                                              {"form": values["form"]})
    return engines["django"].from_string(OLD_QUEUE_HTML).render(
        values, request=response.wsgi_request)


@pytest.fixture
def rows(vendor, office, verifier):
    for n in range(60):  # two pages
        make_registration(vendor, office, status="submitted", company_name=f"CV Bingkai {n}",
                          npwp=f"{n + 1:016d}", nib=f"{n + 1:013d}",
                          assigned_to=verifier if n % 3 == 0 else None)


@pytest.mark.parametrize("who", [Role.VERIFIER, Role.COORDINATOR])
@pytest.mark.parametrize("language", ["id", "en"])
def test_a_framed_page_is_the_page_the_template_wrote(client, office, verifier, rows, who,
                                                      language, settings):
    settings.PERSONAL_PAGE_MEMO_SECONDS = 0  # the results built each time: their context
    person = verifier if who == Role.VERIFIER else make_user(
        "koor-frame@lpse.test", Role.COORDINATOR, office, totp=True, full_name="Koor")
    login(client, person)
    client.cookies["django_language"] = language
    url = reverse("staff_queue")
    for query in ({}, {"status": "all"}, {"status": "all", "q": "Bingkai <1>"}, {}):
        response = client.get(url, query)  # the first renders the frame, the rest reuse it
        html = response.content.decode()
        assert response.status_code == 200
        assert unmasked(html) == unmasked(old_page(response))
        assert html.count(f'value="{response.wsgi_request.get_full_path()}"'.replace(
            "&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")) >= 1


def test_each_request_has_its_own_csrf_token(verifier_client, rows):
    url = reverse("staff_queue")
    first, second = (verifier_client.get(url).content.decode() for _ in range(2))
    tokens = TOKEN.findall(first)
    assert len(tokens) > 3
    assert re.findall(r'csrfmiddlewaretoken" value="([^"]+)"', first) != \
        re.findall(r'csrfmiddlewaretoken" value="([^"]+)"', second)
    assert unmasked(first) == unmasked(second)


def test_the_frame_follows_the_office_and_the_role(client, office, verifier, rows):
    login(client, verifier)
    url = reverse("staff_queue")
    client.get(url)
    office.phone = "0534-99999"
    office.save()
    assert "0534-99999" in client.get(url).content.decode()
    coordinator = make_user("koor-frame@lpse.test", Role.COORDINATOR, office, totp=True)
    login(client, coordinator)
    html = client.get(url).content.decode()
    assert reverse("report_page") in html  # the coordinator's menu, not the verifier's
    login(client, verifier)
    assert reverse("report_page") not in client.get(url).content.decode()


def test_messages_are_shown_and_not_kept(verifier_client, rows, verifier):
    url = reverse("staff_queue")
    verifier_client.get(url)  # a frame is kept
    response = verifier_client.post(reverse("staff_take", args=[
        verifier.office.registrations.filter(assigned_to=None).first().code]), follow=False)
    assert response.status_code == 302
    html = verifier_client.get(url).content.decode()
    assert 'class="msg-success"' in html
    assert 'class="msg-success"' not in verifier_client.get(url).content.decode()


@override_settings(DEMO_MODE=True)
def test_demo_mode_is_part_of_the_frame(verifier_client, rows):
    assert reverse("outbox") in verifier_client.get(reverse("staff_queue")).content.decode()


def test_nothing_of_the_person_is_in_the_kept_frame(client, office, rows):
    person = make_user("rahasia.pribadi@lpse.test", Role.VERIFIER, office, totp=True,
                       full_name="Nama Rahasia Pribadi")
    login(client, person)
    client.get(reverse("staff_queue"))
    cache = caches["local"]
    kept = [cache.get(key.split(":", 2)[-1]) for key in cache._cache
            if "pageframe:" in key]
    assert kept
    for parts in kept:
        frame = "".join(parts)
        assert "rahasia" not in frame.lower() and "Rahasia" not in frame
