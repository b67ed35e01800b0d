from .calendar import CalendarDay
from .notifications import Notification
from .tenancy import Branch, StaffMembership, Tenant, TenantOwned, Workflow

__all__ = ["Branch", "CalendarDay", "Notification", "StaffMembership", "Tenant", "TenantOwned", "Workflow"]
