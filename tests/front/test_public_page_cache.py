"""The landing and login pages strangers see, kept rendered per office and language
(core.pagecache, issue 16): each visitor gets their own CSRF token, nobody gets a page
made for someone else, and the QR code follows the address it encodes."""

import re

from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.front.test_landing import decode_qr, svg_qr_to_image
from verifikasi.core.pagecache import CACHE_ALIAS
from verifikasi.core.qr import qr_svg

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _kept() -> int:
    return len(caches[CACHE_ALIAS]._cache)  # LocMemCache: what this process keeps


def _qr_url(html: str) -> str:
    svg = re.search(r"<svg\b.*?</svg>", html, flags=re.DOTALL).group(0)
    [url] = decode_qr(svg_qr_to_image(svg))
    return url


def test_it_keeps_the_landing_page_and_gives_each_stranger_a_working_token(office):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one = first.get("/").content.decode()
    assert _kept() == 1
    page_two = second.get("/").content.decode()
    token_one, token_two = TOKEN.search(page_one)[1], TOKEN.search(page_two)[1]
    assert token_one != token_two
    assert page_two.replace(token_two, "T") == page_one.replace(token_one, "T")
    assert f'"X-CSRFToken": "{token_two}"' in page_two  # htmx's header carries it too
    # The kept page's token is the second visitor's own: their form posts pass CSRF.
    response = second.post(reverse("set_language"), {
        "language": "en", "next": "/", "csrfmiddlewaretoken": token_two})
    assert response.status_code == 302
    assert "Online verification" in second.get("/").content.decode()


def test_it_keeps_one_page_per_language(client, office):
    assert "Daftar sekarang" in client.get("/").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Register now" in english and "Daftar sekarang" not in english
    assert _kept() == 2
    assert "Daftar sekarang" in client.get("/").content.decode()


def test_it_keeps_one_page_per_office(client, office, other_office, settings):
    assert "LPSE Kabupaten Sambas" not in client.get("/").content.decode()
    settings.DEFAULT_OFFICE_CODE = other_office.code
    assert "LPSE Kabupaten Sambas" in client.get("/").content.decode()


def test_a_logged_in_persons_page_is_neither_kept_nor_served_from_the_cache(
        vendor_client, office):
    stranger = Client()
    assert "Daftar sekarang" in stranger.get("/").content.decode()  # kept
    mine = vendor_client.get("/")
    assert "Buka beranda Anda" in mine.content.decode()  # not the stranger's copy
    assert mine["Cache-Control"] == "private, no-store"
    caches[CACHE_ALIAS].clear()
    vendor_client.get("/")
    assert _kept() == 0  # their page was not kept for anybody
    assert "Buka beranda Anda" not in stranger.get("/").content.decode()


def test_it_renders_afresh_when_a_message_waits(vendor_client, office):
    vendor_client.get("/")
    response = vendor_client.post(reverse("account_logout"), follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert 'class="messages"' in response.content.decode()  # "Anda telah keluar."
    assert _kept() == 0
    assert 'class="messages"' not in vendor_client.get("/").content.decode()
    assert _kept() == 1


def test_it_does_not_keep_pages_asked_with_a_query_string(client, office):
    assert client.get("/?utm=poster").status_code == 200
    assert client.get(reverse("account_login") + "?next=/pendaftaran/").status_code == 200
    assert _kept() == 0


def test_the_kept_login_page_still_logs_people_in(vendor, office):
    Client().get(reverse("account_login"))  # someone else's visit fills the cache
    client = Client(enforce_csrf_checks=True)
    response = client.get(reverse("account_login"))
    assert _kept() == 1
    assert "no-store" in response["Cache-Control"]  # allauth's never_cache, kept too
    response = client.post(reverse("account_login"), {
        "login": vendor.email, "password": PASSWORD,
        "csrfmiddlewaretoken": TOKEN.search(response.content.decode())[1]})
    assert response.status_code == 302
    assert client.get(reverse("vendor_home")).status_code == 200


def test_the_qr_code_follows_the_site_address(client, office, settings):
    assert _qr_url(client.get("/").content.decode()) == \
        settings.SITE_URL + reverse("account_signup")
    settings.SITE_URL = "https://verifikasi.lpse.sambas.test"
    html = client.get("/").content.decode()
    assert _qr_url(html) == "https://verifikasi.lpse.sambas.test" + reverse("account_signup")


def test_the_qr_helper_gives_each_address_its_own_code():
    one, two = "https://a.test/akun/signup/", "https://b.test/akun/signup/"
    assert qr_svg(one) is qr_svg(one)  # built once
    assert qr_svg(one) != qr_svg(two)
    assert decode_qr(svg_qr_to_image(qr_svg(two))) == [two]


def test_the_cache_can_be_turned_off(client, office, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get("/")
    assert _kept() == 0
    assert settings.CACHES[CACHE_ALIAS]["BACKEND"].endswith("LocMemCache")
