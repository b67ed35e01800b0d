from .links import ContractLink
from .readings import HotWaterVolume, PeriodReading
from .requests import Claim, Employee, EmployeeList, LimitChangeRequest, RequestApplication, RequisitesChange

__all__ = [
    "Claim",
    "ContractLink",
    "Employee",
    "EmployeeList",
    "HotWaterVolume",
    "LimitChangeRequest",
    "PeriodReading",
    "RequestApplication",
    "RequisitesChange",
]
