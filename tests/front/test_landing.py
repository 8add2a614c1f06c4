"""The public landing page (/) and the page shell every page shares (base.html)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from PIL import Image

from tests.conftest import PASSWORD, login
from verifikasi.core.qr import qr_svg
from verifikasi.front.public import registration_url
from verifikasi.registrations.models import DocumentCondition, DocumentType

STEP_LABELS = [f"B.{n}" for n in range(1, 9)] + [f"C.{n}" for n in range(1, 11)]


def _html(response) -> str:
    return response.content.decode()


def assert_csp_clean(html: str) -> None:
    """Nothing the Content-Security-Policy (script-src/style-src 'self') would block."""
    for tag in re.findall(r"<script\b[^>]*>", html, flags=re.IGNORECASE):
        executable = not re.search(r'type="application/(ld\+)?json"', tag)
        assert "src=" in tag or not executable, f"inline script: {tag}"
    assert not re.search(r"<style\b", html, flags=re.IGNORECASE), "inline <style> block"
    assert not re.search(r"\sstyle=", html, flags=re.IGNORECASE), "inline style attribute"
    assert not re.search(r"\son[a-z]+=", html, flags=re.IGNORECASE), "inline event handler"


def svg_qr_to_image(svg: str, pixels_per_module: int = 8) -> Image.Image:
    """Rasterise segno's inline SVG (one stroked path of horizontal runs) to a bitmap."""
    view_width = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    scale = int(re.search(r'transform="scale\((\d+)\)"', svg).group(1))
    modules = view_width // scale
    path = re.search(r'\sd="([^"]+)"', svg).group(1)
    image = Image.new("L", (modules, modules), 255)
    x = y = 0.0
    for command, args in re.findall(r"([MmHh])([^MmHh]*)", path):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:  # a horizontal run of dark modules on the row y - 0.5
            end = numbers[0] if command == "H" else x + numbers[0]
            for column in range(int(x), int(end)):
                image.putpixel((column, int(y)), 0)
            x = end
    return image.resize((modules * pixels_per_module,) * 2, Image.NEAREST)


def decode_qr(image: Image.Image) -> list[str]:
    import zxingcpp  # test extra: zxing-cpp

    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_it_renders_for_anonymous_visitors(client, office):
    response = client.get(reverse("landing"))
    assert response.status_code == 200
    assert "front/landing.html" in [t.name for t in response.templates]


def test_it_shows_the_letterhead_lines(client, office):
    html = _html(client.get("/"))
    assert office.letterhead_lines  # the seed has four
    for line in office.letterhead_lines:
        assert f">{line}<" in html


def test_it_shows_the_indonesian_title_by_default(client, office):
    html = _html(client.get("/"))
    assert '<html lang="id">' in html
    assert "Verifikasi dokumen pendaftaran akun SPSE secara daring" in html


def test_it_shows_the_lampiran_1_checklist(client, office):
    types = list(office.document_types.filter(active=True))
    assert len(types) == 7
    html = _html(client.get("/"))
    for document_type in types:
        assert f">{document_type.name}<" in html
        assert document_type.description in html
        with translation.override("id"):
            assert str(document_type.get_condition_display()) in html


def test_it_leaves_out_inactive_document_types(client, office):
    DocumentType.objects.create(
        office=office, code="siup", name="SIUP Lama Tidak Dipakai", description="-",
        condition=DocumentCondition.ALWAYS, order=99, active=False,
    )
    assert "SIUP Lama Tidak Dipakai" not in _html(client.get("/"))


def test_it_shows_the_office_contact(client, office):
    html = _html(client.get("/"))
    assert f'href="mailto:{office.reply_to_email}"' in html
    assert f'href="{office.spse_url}"' in html
    assert office.address in html
    assert office.phone in html


def test_it_labels_every_step_of_sections_b_and_c(client, office):
    html = _html(client.get("/"))
    labels = re.findall(r'<span class="step-no">([BC]\.\d+)</span>', html)
    assert labels == STEP_LABELS


def test_it_explains_the_procedure_in_plain_words(client, office):
    html = _html(client.get("/"))
    assert "kamera dan mikrofon" in html  # B.3 for an office without Zoom
    assert "zoom.us/download" not in html
    assert "ASLI" in html  # C.4: show and hold the original documents
    assert "direkam" in html  # C.5: the call is recorded
    assert "Tanda Lulus Verifikasi" in html  # C.6.b


def test_it_links_to_signup_login_and_the_poster(client, office):
    html = _html(client.get("/"))
    assert f'href="{reverse("account_signup")}"' in html
    assert f'href="{reverse("account_login")}"' in html
    assert f'href="{reverse("poster")}"' in html
    assert "Daftar sekarang" in html
    assert "Unduh poster A4 (PDF)" in html


def test_it_prints_the_registration_url_under_the_qr_code(client, office):
    url = settings.SITE_URL + reverse("account_signup")
    assert registration_url() == url
    assert f">{url}</a>" in _html(client.get("/"))


def test_its_qr_code_decodes_to_the_registration_url(client, office):
    html = _html(client.get("/"))
    svg = re.search(r"<svg\b.*?</svg>", html, flags=re.DOTALL).group(0)
    assert svg == qr_svg(registration_url())
    assert decode_qr(svg_qr_to_image(svg)) == [settings.SITE_URL + reverse("account_signup")]


def test_the_qr_helper_encodes_what_it_is_given(tmp_path):
    import segno

    url = settings.SITE_URL + reverse("account_signup")
    png = tmp_path / "qr.png"
    segno.make(url, error="m").save(png, scale=8)
    assert decode_qr(Image.open(png)) == [url]
    assert decode_qr(svg_qr_to_image(qr_svg(url))) == [url]


def test_it_is_in_english_for_an_english_browser(client, office):
    html = _html(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    assert '<html lang="en">' in html
    assert "Online verification of SPSE account registration documents" in html
    assert "Register now" in html
    assert "Bahasa Indonesia" in html  # the switch offers the way back


def test_it_is_in_english_after_choosing_english(client, office):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = _html(client.get("/"))
    assert "Online verification of SPSE account registration documents" in html
    # the condition labels (model choices) are translated too
    assert "Required for every business actor" in html
    assert "Wajib bagi semua Pelaku Usaha" not in html


def test_it_sends_a_content_security_policy_and_needs_no_inline_code(client, office):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert_csp_clean(_html(response))


def test_it_serves_htmx_and_the_app_assets_locally(client, office):
    html = _html(client.get("/"))
    for asset in ("htmx.min.js", "app.js", "app.css"):
        url = f"/static/verifikasi/{asset}"
        assert f'"{url}"' in html
        assert client.get(url).status_code == 200, f"{url} is not served"
    assert not re.search(r'(src|href)="(https?:)?//[^"]*\.(js|css)"', html)


def test_it_shows_logged_in_people_the_way_to_their_home(vendor_client, office):
    html = _html(vendor_client.get("/"))
    assert f'href="{reverse("home")}"' in html
    assert "Buka beranda Anda" in html


# The same shell wraps allauth's pages: our top bar, the language switch, no inline code.


@pytest.mark.parametrize("url_name", ["account_login", "account_signup", "account_reset_password"])
def test_allauth_entrance_pages_use_our_shell(client, office, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    html = _html(response)
    assert 'class="topbar"' in html
    assert f'action="{reverse("set_language")}"' in html
    assert 'class="form"' in html and 'class="button"' in html
    assert_csp_clean(html)


def test_allauth_pages_switch_language_too(client, office):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("account_login")})
    html = _html(client.get(reverse("account_login")))
    assert '<html lang="en">' in html
    assert "Sign In" in html
    assert ">Bahasa Indonesia<" in html


def test_the_totp_setup_page_uses_our_shell(client, verifier_without_2fa):
    login(client, verifier_without_2fa)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    html = _html(response)
    assert 'class="topbar"' in html
    assert 'class="qr-img"' in html and 'src="data:image/svg+xml' in html
    assert_csp_clean(html)


def test_the_totp_login_stage_uses_our_shell(client, verifier):
    response = client.post(reverse("account_login"),
                           {"login": verifier.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.get(reverse("mfa_authenticate"))
    assert response.status_code == 200
    html = _html(response)
    assert 'class="topbar"' in html
    assert_csp_clean(html)


@pytest.mark.parametrize("url_name", ["account_email", "account_change_password"])
def test_the_account_settings_pages_use_our_shell(client, vendor, url_name):
    login(client, vendor)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    html = _html(response)
    assert 'class="topbar"' in html
    assert 'class="subnav"' in html
    assert_csp_clean(html)


def test_an_office_on_zoom_asks_for_the_zoom_app(client, office):
    from verifikasi.meetings.models import MeetingSettings

    MeetingSettings.objects.create(office=office, provider="zoom")
    assert "https://zoom.us/download" in _html(client.get("/"))  # B.3
