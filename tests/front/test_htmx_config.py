"""Issue 21: htmx must not insert its indicator <style> (blocked by our CSP
"style-src 'self'", logged as a console error on every htmx page); the indicator
styles live in app.css instead. The browser tests fail on any CSP violation."""

import json
import re
from pathlib import Path

from django.urls import reverse

STATIC = Path(__file__).resolve().parents[2] / "verifikasi" / "static" / "verifikasi"


def test_every_page_tells_htmx_not_to_inject_styles(client, db):
    html = client.get(reverse("landing")).content.decode()
    meta = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert meta, "base.html lost its htmx-config"
    config = json.loads(meta[1])
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False


def test_the_indicator_styles_are_in_our_stylesheet():
    css = (STATIC / "app.css").read_text()
    assert ".htmx-indicator" in css and ".htmx-request" in css
