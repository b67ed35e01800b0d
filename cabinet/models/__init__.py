from .links import ContractLink
from .readings import HotWaterVolume, PeriodReading
from .requests import Claim, Employee, EmployeeList, LimitChangeRequest, RequestApplication, RequisitesChange
from .settings import CabinetSettings

__all__ = [
    "CabinetSettings",
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
