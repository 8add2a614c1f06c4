"""The provider interface and the values it passes (no database access here)."""

import abc
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import BinaryIO

from ..models import MeetingSettings


class ProviderError(Exception):
    """A provider call failed; ``retryable`` says whether trying later may help."""

    def __init__(self, message: str, *, retryable: bool):
        super().__init__(message)
        self.message = message
        self.retryable = retryable


@dataclass(frozen=True)
class MeetingInfo:
    external_id: str
    join_url: str
    host_url: str = ""
    password: str = ""


@dataclass(frozen=True)
class RecordingFile:
    """One file of a cloud recording, as the provider lists it."""

    external_file_id: str
    file_type: str  # MP4, M4A, TRANSCRIPT, CHAT, ...
    download_url: str
    size: int | None = None
    status: str = ""
    recording_start: str = ""  # ISO 8601 as the provider sent it
    recording_end: str = ""
    recording_type: str = ""

    @property
    def is_video(self) -> bool:
        return self.file_type.upper() == "MP4"

    @property
    def is_complete(self) -> bool:
        return self.status in ("", "completed")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "RecordingFile":
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__ if k in data})


class BaseProvider(abc.ABC):
    name: str = ""
    # Cloud recordings that the worker copies (Zoom); otherwise the verifier uploads.
    supports_cloud_recording = False
    # Nothing to call over the network: the meeting exists as soon as it is scheduled.
    is_local = False

    def __init__(self, meeting_settings: MeetingSettings):
        self.settings = meeting_settings

    @abc.abstractmethod
    def create(self, meeting) -> MeetingInfo:
        """Make the meeting at the provider; the links the vendor and host use."""

    def find(self, meeting) -> MeetingInfo | None:
        """The meeting an earlier run created for ``meeting`` (if the provider keeps one).

        Asked before creating again when a run may have created it and died, or
        lost the answer, before recording it: so a second run never makes a
        second meeting. Providers that create nothing remotely find nothing.
        """
        return None

    def update(self, meeting) -> MeetingInfo | None:
        """Move the meeting to its current time; a new MeetingInfo if the links changed."""
        return None

    def delete(self, meeting) -> None:
        return None

    def list_recordings(self, meeting) -> list[RecordingFile]:
        return []

    def download(self, recording_file: RecordingFile, dest: BinaryIO, *,
                 token: str | None = None) -> None:
        raise ProviderError(f"{self.name}: tidak ada rekaman cloud", retryable=False)


def parse_time(value: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
