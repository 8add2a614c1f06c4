"""Jitsi Meet: a room with an unguessable name, nothing to call.

On meet.jit.si (or any open server) the link alone admits people. An office
running its own server with token auth (``jitsi-meet-tokens``) sets an app
secret: each link then carries an HS256 JWT for that room only, valid until
two hours after the call ends. In the stock setup every token holder is a
moderator; the ``moderator`` flag in the user context is honoured only by
servers that read it (JaaS, token affiliation modules). Jitsi has no
recordings API: the verifier uploads the recording.
"""

import secrets
from datetime import timedelta
from urllib.parse import quote

import jwt
from django.utils import timezone

from .base import BaseProvider, MeetingInfo

ROOM_PREFIX = "verifikasi-"
TOKEN_GRACE = timedelta(hours=2)


def new_room_name() -> str:
    # Jitsi room names are case-insensitive: lower case keeps the JWT's room
    # claim equal to the room the server sees (~130 bits of randomness remain).
    return ROOM_PREFIX + secrets.token_urlsafe(20).lower()


class JitsiProvider(BaseProvider):
    name = "jitsi"
    is_local = True

    @property
    def domain(self) -> str:
        value = self.settings.jitsi_domain.strip() or "meet.jit.si"
        for scheme in ("https://", "http://"):
            value = value.removeprefix(scheme)
        return value.strip("/")

    def create(self, meeting) -> MeetingInfo:
        return self._links(meeting, new_room_name())

    def update(self, meeting) -> MeetingInfo:
        # Same room; new tokens, since their expiry follows the meeting's end.
        return self._links(meeting, meeting.external_id or new_room_name())

    def _links(self, meeting, room: str) -> MeetingInfo:
        url = f"https://{self.domain}/{quote(room)}"
        if not self.settings.jitsi_app_secret:
            return MeetingInfo(external_id=room, join_url=url, host_url=url)
        registration = meeting.registration
        guest = (registration.representative_name if registration.represented else "") \
            or registration.director_name or registration.company_name
        host = (meeting.created_by.get_full_name() if meeting.created_by_id else "") \
            or f"Verifikator {meeting.office.short_name}"
        return MeetingInfo(
            external_id=room,
            join_url=f"{url}?jwt={self.token(meeting, room, name=guest, moderator=False)}",
            host_url=f"{url}?jwt={self.token(meeting, room, name=host, moderator=True)}",
        )

    def token(self, meeting, room: str, *, name: str, moderator: bool) -> str:
        """HS256 token for one room, signed with the office's shared app secret."""
        host, _, tenant = self.domain.partition("/")
        claims = {
            "iss": self.settings.jitsi_app_id,
            "aud": self.settings.jitsi_audience or "jitsi",
            "sub": tenant or host,
            "room": room,
            "iat": int(timezone.now().timestamp()),
            "exp": int((meeting.end_at + TOKEN_GRACE).timestamp()),
            "context": {"user": {"name": name, "moderator": moderator}},
        }
        return jwt.encode(claims, self.settings.jitsi_app_secret, algorithm="HS256")
