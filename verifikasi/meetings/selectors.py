"""Reads for meetings and recordings, and the access helpers the views use.

Recordings are personal data (faces: "specific" data under UU 27/2022): only
staff of the office that holds the registration may see them; everyone else
gets a 404.
"""

import hmac

from django.http import Http404

from verifikasi.core.prepared import Prepared

from .models import Meeting, MeetingState, Recording


def _is_staff_of(user, office_id) -> bool:
    return bool(user.is_authenticated and user.is_office_staff and user.office_id == office_id)


def meeting_for_staff(user, code) -> Meeting:
    if not user.is_authenticated or not user.is_office_staff:
        raise Http404
    try:
        return Meeting.objects.select_related("office", "registration").get(
            code=code, office_id=user.office_id)
    except (Meeting.DoesNotExist, ValueError):
        raise Http404 from None


def recording_for_staff(user, code) -> Recording:
    if not user.is_authenticated or not user.is_office_staff:
        raise Http404
    try:
        return Recording.objects.select_related("meeting__office", "registration").get(
            code=code, meeting__office_id=user.office_id)
    except (Recording.DoesNotExist, ValueError):
        raise Http404 from None


_meeting_current = Prepared(  # compiled once per connection (core.prepared)
    lambda registration_id: Meeting.objects.filter(registration_id=registration_id)
    .exclude(state=MeetingState.CANCELLED).order_by("-start_at", "-pk"),
    first=True, registration_id=int)


def meeting_current(registration) -> Meeting | None:
    """The registration's latest meeting that was not called off."""
    if registration.pk is None:  # unsaved: Django's own refusal
        return Meeting.objects.filter(registration=registration).first()
    return _meeting_current(registration_id=registration.pk)


def recordings_of(registration):
    return Recording.objects.filter(registration=registration).order_by("created_at")


WEBHOOK_MAX_SKEW_SECONDS = 300


def zoom_webhook_settings(*, body: bytes, timestamp: str, signature: str, now: float):
    """The office whose webhook secret signed this request, or None.

    The timestamp must be within five minutes of now (either way), so a
    captured request cannot be replayed later; every office's secret is
    tried, compared in constant time (there are few offices).
    """
    from .models import MeetingSettings
    from .providers.zoom import webhook_signature

    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        return None
    if sent > 10**12:  # milliseconds
        sent //= 1000
    if abs(now - sent) > WEBHOOK_MAX_SKEW_SECONDS or not signature:
        return None
    match = None
    for meeting_settings in (MeetingSettings.objects.exclude(zoom_webhook_secret_token="")
                             .select_related("office")):
        expected = webhook_signature(meeting_settings.zoom_webhook_secret_token, timestamp, body)
        if hmac.compare_digest(expected.encode(), signature.encode()):
            match = meeting_settings
    return match
