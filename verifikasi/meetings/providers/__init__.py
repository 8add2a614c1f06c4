"""Video call providers behind one small interface.

``get_provider(office)`` gives the office's provider (or a named one): it
creates, moves and deletes the meeting at the service, and where the service
records in the cloud (Zoom) lists and downloads the recordings. Providers do
no database writes; the services in ``meetings.services`` do.
"""

from ..models import MeetingSettings, Provider
from .base import BaseProvider, MeetingInfo, ProviderError, RecordingFile, parse_time
from .jitsi import JitsiProvider
from .manual import ManualProvider
from .zoom import ZoomProvider


def meeting_settings_for(office) -> MeetingSettings:
    """The office's settings, or the embedded default (manual link) when none were saved."""
    try:
        return office.meeting_settings
    except MeetingSettings.DoesNotExist:
        return MeetingSettings(office=office)


def get_provider(office, name: str | None = None) -> BaseProvider:
    """The provider ``name`` (default: the office's choice) configured for ``office``."""
    meeting_settings = meeting_settings_for(office)
    name = name or meeting_settings.provider
    classes = {Provider.ZOOM: ZoomProvider, Provider.JITSI: JitsiProvider,
               Provider.MANUAL: ManualProvider}
    return classes[Provider(name)](meeting_settings)


__all__ = [
    "BaseProvider", "MeetingInfo", "ProviderError", "RecordingFile", "get_provider",
    "meeting_settings_for", "parse_time",
]
