"""Payloads of the legal-entity requests (W4); each belongs to one application of the shared
workflow, so numbering, routing, deadlines, review and the timeline are the workflow's."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from portal.storage import private_storage


class LimitChangeRequest(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="limit_change", verbose_name=_("application")
    )
    contract = models.ForeignKey(
        "meters.Contract", on_delete=models.PROTECT, related_name="limit_changes", verbose_name=_("contract")
    )
    current_limit = models.DecimalField(_("current monthly limit"), max_digits=14, decimal_places=3, null=True)
    new_limit = models.DecimalField(_("new monthly limit"), max_digits=14, decimal_places=3)
    effective_from = models.DateField(_("from"))
    reason = models.TextField(_("reason"))
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        db_table = "applications_limitchangerequest"  # moved from applications/; the table and its rows stay
        verbose_name = _("limit change request")
        verbose_name_plural = _("limit change requests")

    def __str__(self):
        return f"{self.contract}: {self.current_limit} → {self.new_limit}"


class RequisitesChange(models.Model):
    """New bank details of an organization; they replace the current ones only once the supply
    company's staff confirm the request (``applied_at``)."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="requisites_change", verbose_name=_("application")
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    bank_name = models.CharField(_("bank"), max_length=200)
    bank_code = models.CharField(_("bank code (BIC/MFO)"), max_length=20)
    bank_account = models.CharField(_("settlement account"), max_length=34)
    document = models.FileField(_("supporting letter"), storage=private_storage, upload_to="requisites/", blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        db_table = "applications_requisiteschange"  # moved from applications/; the table and its rows stay
        verbose_name = _("change of bank requisites")
        verbose_name_plural = _("changes of bank requisites")

    def __str__(self):
        return f"{self.organization}: {self.bank_name} {self.bank_account}"


class Claim(models.Model):
    """A free-text application or claim; the staff reply goes into the timeline."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="claim", verbose_name=_("application")
    )
    contract = models.ForeignKey(
        "meters.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("contract")
    )
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"))

    class Meta:
        db_table = "applications_claim"  # moved from applications/; the table and its rows stay
        verbose_name = _("application or claim")
        verbose_name_plural = _("applications and claims")

    def __str__(self):
        return self.subject


class EmployeeList(models.Model):
    """The list of an organization's employees (e.g. for subsidised tariffs or access), sent as
    signed and marked received/confirmed by the supply company's staff."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="employee_list", verbose_name=_("application")
    )
    contract = models.ForeignKey(
        "meters.Contract", on_delete=models.PROTECT, related_name="employee_lists", verbose_name=_("contract")
    )
    signed_by = models.CharField(_("signed by (name and position)"), max_length=200)

    class Meta:
        db_table = "applications_employeelist"  # moved from applications/; the table and its rows stay
        verbose_name = _("employee list")
        verbose_name_plural = _("employee lists")

    def __str__(self):
        return f"{self.contract} — {self.application.number}"


class Employee(models.Model):
    employee_list = models.ForeignKey(
        EmployeeList, on_delete=models.CASCADE, related_name="employees", verbose_name=_("employee list")
    )
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200)
    personal_number = models.CharField(_("personal number"), max_length=40)
    passport_number = models.CharField(_("identity document number"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)

    class Meta:
        db_table = "applications_employee"  # moved from applications/; the table and its rows stay
        ordering = ["employee_list_id", "full_name"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        constraints = [
            models.UniqueConstraint(fields=["employee_list", "personal_number"], name="employee_unique_in_list")
        ]

    def __str__(self):
        return self.full_name


class RequestApplication(Application):
    """The W4 requests as staff review them: the applications of the cabinet's kinds, with their
    payload and attachments, decided by the requests admin (its own permissions)."""

    class Meta:
        proxy = True
        verbose_name = _("legal-entity request")
        verbose_name_plural = _("legal-entity requests")
