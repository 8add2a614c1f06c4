"""The CSRF token in HTML that is kept and served again (core.pagecache, core.pagememo,
registrations.queue_memo): the HTML is kept with ``PLACEHOLDER`` where the token goes,
and every response gets the request's own token, freshly masked, as
``{% csrf_token %}`` gives (core.pageframe marks its frame the same way with its own
marks). One placeholder for every kind of kept HTML, so no kept page can carry another
kind's placeholder to a visitor unreplaced."""

import secrets

from django.middleware.csrf import get_token

# Letters and digits only, so no template escaping can change it; random per process.
PLACEHOLDER = "csrfkept" + secrets.token_hex(16)


def with_token(html: str, request) -> str:
    """``html`` with the request's own CSRF token in place of every PLACEHOLDER."""
    return html.replace(PLACEHOLDER, get_token(request))
