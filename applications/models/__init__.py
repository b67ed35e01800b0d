from .attachments import Attachment
from .clocks import StageClock
from .workflow import (
    CLOSED,
    REASON_REQUIRED,
    TRANSITIONS,
    Application,
    ApplicationEvent,
    ApplicationKind,
    NumberSequence,
    Status,
)

__all__ = [
    "CLOSED",
    "REASON_REQUIRED",
    "TRANSITIONS",
    "Application",
    "ApplicationEvent",
    "ApplicationKind",
    "Attachment",
    "NumberSequence",
    "StageClock",
    "Status",
]
