from .requests import Attachment, Claim, Employee, EmployeeList, LimitChangeRequest, RequisitesChange
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
    "CLOSED", "REASON_REQUIRED", "TRANSITIONS", "Application", "ApplicationEvent", "ApplicationKind", "Attachment",
    "Claim", "Employee", "EmployeeList", "LimitChangeRequest", "NumberSequence", "RequisitesChange", "Status",
]
