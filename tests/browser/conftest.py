"""Browser fixtures: one Chromium per session, a fresh browser context per test.

Every page's console errors, uncaught exceptions and Content-Security-Policy
violations are collected; a test whose pages produced any fails at teardown,
so a blocked inline style, a missing asset or a JavaScript error cannot slip
through. A test that expects one (say, it opens a page that answers 403) says
so with ``browser_problems.allow(r"status of 403")``.

The pages talk to pytest-django's ``live_server``, which needs transactional
database access; ``django_db_serialized_rollback`` restores the seeded office
and Lampiran 1 rows that the flush after each transactional test removes.
"""

import json
import os
import re
import tempfile
import threading
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would
# otherwise refuse the test's own ORM calls as "async unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Screenshots go to docs/screenshots/ only when asked (scripts/screenshots sets
# SCREENSHOTS=1), so a test run leaves the committed pictures alone.
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SCREENSHOTS = (DOCS_SCREENSHOTS if os.environ.get("SCREENSHOTS") == "1"
               else Path(tempfile.gettempdir()) / "verifikasi-screenshots")

MOBILE = {
    "viewport": {"width": 360, "height": 740},
    "locale": "id-ID",
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "id-ID"}

# Reported by Chromium for violations too, but an explicit listener also
# catches the ones it logs only as warnings.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ` +
    `${event.blockedURI || "inline code"} (${event.sourceFile || "?"}:${event.lineNumber || 0})`);
});
"""

# On a phone every control must be at least 24×24 CSS px (WCAG 2.2 SC 2.5.8), and a
# primary action at least 44 px high. A link inside a sentence is exempt (its height is
# the line's); a stand-alone link is not.
# Checked on every page and after every htmx swap; a small one is a console error,
# so it fails the test like any other browser problem.
TAP_TARGETS = """
(() => {
  const CONTROLS = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, ' +
                   '[role="button"]';
  // A primary action (a full-size button; .small ones are row tools beside a table
  // row) is at least 44 px high: the thumb's size, as the platforms' guidelines ask.
  const PRIMARY = '.button:not(.small):not(.linklike), ' +
                  'main form button[type="submit"]:not(.small):not(.linklike)';
  const inSentence = (el) => el.tagName === "A" && [...el.parentElement.childNodes].some(
    (n) => n !== el && n.nodeType === Node.TEXT_NODE && n.textContent.trim().length > 1);
  const name = (el) => `<${el.tagName.toLowerCase()}` +
    (el.id ? `#${el.id}` : "") + (el.name ? ` name=${el.name}` : "") + `> ` +
    `"${(el.textContent || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 40)}"`;
  function check() {
    if (!window.matchMedia("(max-width: 480px)").matches) return;
    for (const el of document.querySelectorAll(CONTROLS)) {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (box.width <= 1 || box.height <= 1 || style.visibility === "hidden" ||
          style.opacity === "0" || inSentence(el)) continue;
      if (box.width < 24 || box.height < 24) {
        console.error(`tap target ${Math.round(box.width)}×${Math.round(box.height)} px ` +
                      `is under 24×24: ${name(el)} on ${location.pathname}`);
      } else if (el.matches(PRIMARY) && box.height < 44) {
        console.error(`primary action ${Math.round(box.height)} px high is under 44: ` +
                      `${name(el)} on ${location.pathname}`);
      }
    }
  }
  document.addEventListener("DOMContentLoaded", check);
  document.addEventListener("htmx:afterSettle", check);
})();
"""


# Django's and allauth's English defaults, which show up on an Indonesian page when a
# catalogue lacks a string (Django 6.1's "- Select an option -") or a template bypasses
# translation. Every text node and every placeholder, title, label and button value of a
# page whose language is Indonesian is scanned, on load and after every htmx swap; a hit
# is a console error, so the test fails with the phrase and the page.
ENGLISH_DEFAULTS = [
    "Select an option", "This field is required", "Password", "Sign In", "Sign in",
    "Sign Up", "Sign up", "Sign Out", "Log in", "Log out", "Forgot your password",
    "Forgot Password", "Remember Me", "E-mail address", "Email address", "Enter a valid",
    "Ensure this value", "Verify Your Email", "Confirm Email", "Authenticator code",
    "Currently:", "Upload a valid", "Submit", "Required", "Please correct the error",
]
ENGLISH_SCAN = r"""
(() => {
  const PHRASES = PHRASES_JSON;
  const escape = (p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp("\\b(" + PHRASES.map(escape).join("|") + ")(?![\\w])");
  const indonesian = (el) => ((el && el.closest("[lang]")) || document.documentElement)
    .getAttribute("lang").startsWith("id");
  const ATTRS = ["placeholder", "title", "aria-label", "alt"];
  const WITH_TEXT = "[placeholder], [title], [aria-label], [alt], input[type=submit]";
  function check() {
    if (!document.documentElement.lang.startsWith("id")) return;
    const found = [];
    const walker = document.createTreeWalker(document, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || ["SCRIPT", "STYLE"].includes(parent.tagName)) continue;
      const hit = indonesian(parent) && pattern.exec(node.textContent);
      if (hit) found.push(`"${hit[1]}" in <${parent.tagName.toLowerCase()}> ` +
                          `"${node.textContent.trim().slice(0, 60)}"`);
    }
    for (const el of document.querySelectorAll(WITH_TEXT)) {
      if (!indonesian(el)) continue;
      for (const attr of el.type === "submit" ? [...ATTRS, "value"] : ATTRS) {
        const hit = el.hasAttribute(attr) && pattern.exec(el.getAttribute(attr));
        if (hit) found.push(`"${hit[1]}" in ${attr} of <${el.tagName.toLowerCase()}>`);
      }
    }
    for (const what of found) {
      console.error(`English on an Indonesian page (${location.pathname}): ${what}`);
    }
  }
  document.addEventListener("DOMContentLoaded", check);
  document.addEventListener("htmx:afterSettle", check);
})();
""".replace("PHRASES_JSON", json.dumps(ENGLISH_DEFAULTS))


def pytest_collection_modifyitems(config, items):
    """Everything under tests/browser is a browser test, marked or not."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


class BrowserProblems:
    """Console errors, page errors and CSP violations seen during one test."""

    def __init__(self):
        self.seen: list[str] = []
        self.allowed: list[re.Pattern] = []

    def allow(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def watch(self, page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.seen.append(f"page error: {error}"))

    def _on_console(self, message) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            self.seen.append(f"console error: {message.text} [{where}]")

    def unexpected(self) -> list[str]:
        return [p for p in self.seen if not any(a.search(p) for a in self.allowed)]


@pytest.fixture(scope="session")
def playwright_session():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)",
                    pytrace=False)
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(playwright_session):
    browser = playwright_session.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def browser_problems():
    return BrowserProblems()


@pytest.fixture
def browser_server(chromium, live_server, transactional_db, django_db_serialized_rollback):
    """The live server, with the seeded data every page needs."""
    return live_server


@pytest.fixture
def new_page(chromium, browser_server, browser_problems):
    """A factory: ``new_page(**context_options)`` opens a page in a fresh context.

    Contexts share nothing (cookies, storage, cache), so each page starts as a
    new visitor. Every context opened is closed, and its problems checked, at teardown.
    """
    contexts = []

    def open_page(**options):
        context = chromium.new_context(base_url=browser_server.url, **options)
        context.set_default_timeout(10_000)
        context.add_init_script(CSP_LISTENER)
        if options.get("is_mobile"):
            context.add_init_script(TAP_TARGETS)
        context.on("page", browser_problems.watch)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    problems = browser_problems.unexpected()
    if problems:
        pytest.fail("the browser reported problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def mobile_page(new_page):
    """A cheap Android phone: 360×740, touch, Indonesian locale."""
    return new_page(**MOBILE)


@pytest.fixture
def desktop_page(new_page):
    """An office PC: 1280×800, Indonesian locale."""
    return new_page(**DESKTOP)


# axe-core's WCAG 2.x A/AA rules; a serious or critical violation fails the test.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def accessibility_violations(page) -> list[str]:
    """axe-core (bundled by axe-playwright-python) on the page as it stands: one line per
    serious or critical violation, with the rule and the elements."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"],
                                       "runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(f"{n['target']} {n['html'][:160]}" for n in v["nodes"][:6])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def assert_accessible(page, where: str) -> None:
    problems = accessibility_violations(page)
    if problems:
        pytest.fail(f"accessibility ({where}, {page.url}):\n" + "\n".join(problems),
                    pytrace=False)


@pytest.fixture
def screenshot():
    """``screenshot(page, "name")`` checks the page with axe-core (no serious or critical
    violation) and saves name.png in SCREENSHOTS (docs/screenshots/ when SCREENSHOTS=1).
    Every page a test photographs is therefore an accessibility-checked page."""

    def take(page, name: str, *, full_page: bool = True) -> Path:
        assert_accessible(page, name)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than its viewport (0 when nothing scrolls sideways)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.fixture
def server_lock(browser_server):
    """The live server runs one request's view at a time; hold the lock to use the ORM.

    On SQLite the test database lives in memory with a shared cache, whose table locks
    do not wait: two requests writing at once (the review screen loads its page images in
    parallel, each one audited), or the test reading while a view writes, fail with
    "database table is locked". Real deployments use a database file or PostgreSQL and
    are not affected. Here the views take turns (response bodies still stream, keep-alive
    still works), and a test reads the database with ``with server_lock:`` while a page
    may still be loading.
    """
    httpd = browser_server.thread.httpd
    app = httpd.get_app()
    lock = threading.Lock()

    def one_at_a_time(environ, start_response):
        with lock:
            return app(environ, start_response)

    httpd.set_app(one_at_a_time)
    yield lock
    httpd.set_app(app)


@pytest.fixture
def queue_worker(server_lock):
    """The task worker beside the live server, as ``manage.py db_worker`` runs beside gunicorn:
    every few tenths of a second it runs what is queued (the check of an upload, then its
    thumbnail), taking turns with the views (``server_lock``, see above). django-tasks-db's
    own Worker, in batch passes, without the signal handlers only a main thread may set."""
    from django.db import connections
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id="browser-tests",
                    excluded_queue_names=[])
    stop = threading.Event()

    def work():
        try:
            while not stop.is_set():
                with server_lock:
                    worker.run()
                stop.wait(0.3)
        finally:
            connections.close_all()

    thread = threading.Thread(target=work, name="queue-worker", daemon=True)
    thread.start()
    yield worker
    stop.set()
    thread.join(timeout=60)
