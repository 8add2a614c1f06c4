"""What goes over the wire: static files with long cache lives, text pages compressed.

Vendors open the site on phones over weak networks, so every byte counts (issue 16).
"""

from django.middleware.gzip import GZipMiddleware
from whitenoise.middleware import WhiteNoiseMiddleware

from .http import PRIVATE_NO_STORE

ONE_YEAR = 365 * 24 * 60 * 60

# Text compresses to a fifth; PDFs, images and recordings are compressed already, and
# gzipping a 2 GB recording on its way out would only burn the CPU.
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/javascript",
    "application/xml",
    "image/svg+xml",
)


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, with hashed files (app.3f2a9c.css) cached for one year, immutable.

    WhiteNoise's own "forever" is ten years; a year is what caches honour
    (RFC 9111 §5.3) and what the nginx block in docs/deploy.md sends too.
    Unhashed names keep WhiteNoise's short max-age.
    """

    FOREVER = ONE_YEAR


class CompressionMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for text responses only.

    It keeps Django's BREACH mitigation ("Heal the BREACH": up to 100 random bytes
    in the gzip header, so a secret's compressed length cannot be measured), and
    CSRF tokens are masked per response anyway. Binary responses (documents,
    recordings, certificates, page images) pass through untouched, with their
    Content-Length.
    """

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").lower()
        if not content_type.startswith(COMPRESSIBLE_TYPES):
            return response
        return super().process_response(request, response)


class PrivatePagesMiddleware:
    """A page made for a logged-in person is never stored by a browser cache or a proxy.

    Every such page carries someone's data (a company, a queue of vendors), so it is
    sent with ``Cache-Control: private, no-store`` unless the view chose a header
    itself (personal files already say the same, see core.http.private_file).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header(
                "Cache-Control"):
            response["Cache-Control"] = PRIVATE_NO_STORE
        return response
