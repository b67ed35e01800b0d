"""The connection fee schedule: versions by effective date per tenant, each a set of rules.

The schedule in force on a day is the tenant's latest with ``effective_from`` on or before it, so a
new decision is entered as a new schedule and the old one stays as history (and as the basis of
quotes already given). The pricing itself is connections/fees.py.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from connections.fees import (
    ANY,
    ANY_CHOICE,
    MAX_POWER_KW,
    ApplicantKind,
    ObjectKind,
    PerKwBasis,
    Phase,
    Term,
    Voltage,
    describe_rule,
    validate_rules,
)
from portal.models import TenantOwned

POWER = {"max_digits": 5, "decimal_places": 1}


class FeeSchedule(TenantOwned):
    name = models.CharField(_("name"), max_length=200)
    effective_from = models.DateField(
        _("effective from"), help_text=_("The schedule applies from this day until the next schedule's day.")
    )
    source = models.TextField(
        _("legal source"), blank=True, help_text=_("The published decisions the amounts come from.")
    )
    prices_include_vat = models.BooleanField(_("amounts include VAT"), default=True)
    vat_rate = models.DecimalField(_("VAT rate, %"), max_digits=5, decimal_places=2, default=Decimal("18"))
    quote_valid_days = models.PositiveSmallIntegerField(
        _("quote valid for (days)"), default=30, validators=[MinValueValidator(1)]
    )
    staff_notes = models.TextField(
        _("amounts set by staff"),
        blank=True,
        help_text=_("Which amounts are not published and were set by staff, and on whose decision."),
    )

    class Meta:
        ordering = ["tenant_id", "-effective_from"]
        verbose_name = _("connection fee schedule")
        verbose_name_plural = _("connection fee schedules")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "effective_from"], name="fee_schedule_one_per_day"),
            models.UniqueConstraint(fields=["tenant", "name"], name="fee_schedule_name_per_tenant"),
        ]

    def __str__(self):
        return self.name

    def check_rules(self):
        """The service-level check of the saved rules (the admin checks the edited ones in its formset)."""
        validate_rules(self.rules.all())


class FeeRule(models.Model):
    """One price: the cell it applies to (applicant, object, phase, voltage, term; "any" matches
    every value), the power band (from, to], and what it costs."""

    schedule = models.ForeignKey(
        FeeSchedule, on_delete=models.CASCADE, related_name="rules", verbose_name=_("fee schedule")
    )
    label = models.CharField(_("label"), max_length=120, blank=True)
    applicant_kind = models.CharField(
        _("applicant"), max_length=16, choices=[ANY_CHOICE, *ApplicantKind.choices], default=ANY
    )
    object_kind = models.CharField(_("object"), max_length=16, choices=[ANY_CHOICE, *ObjectKind.choices], default=ANY)
    phase = models.CharField(_("phase"), max_length=8, choices=[ANY_CHOICE, *Phase.choices], default=ANY)
    voltage = models.CharField(_("voltage"), max_length=8, choices=Voltage.choices, default=Voltage.LOW)
    term = models.CharField(_("execution term"), max_length=8, choices=[ANY_CHOICE, *Term.choices], default=ANY)
    from_kw = models.DecimalField(
        _("above (kW)"), **POWER, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    to_kw = models.DecimalField(
        _("up to and including (kW)"),
        **POWER,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(MAX_POWER_KW)],
    )
    fixed_amount = models.DecimalField(
        _("fixed amount"), max_digits=12, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    per_kw_amount = models.DecimalField(
        _("amount per kW"), max_digits=12, decimal_places=4, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    per_kw_basis = models.CharField(
        _("per kW of"), max_length=12, choices=PerKwBasis.choices, default=PerKwBasis.WHOLE_POWER
    )
    urgent_surcharge = models.DecimalField(
        _("urgent term: surcharge"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    urgent_multiplier = models.DecimalField(
        _("urgent term: multiplier"),
        max_digits=5,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    urgent_set_by_staff = models.BooleanField(_("urgent amount set by staff (not published)"), default=False)
    distance_rate = models.DecimalField(
        _("amount per metre"), max_digits=12, decimal_places=4, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    distance_free_m = models.PositiveIntegerField(_("free distance (m)"), default=0)

    class Meta:
        ordering = ["schedule_id", "voltage", "phase", "applicant_kind", "object_kind", "term", "from_kw"]
        verbose_name = _("fee rule")
        verbose_name_plural = _("fee rules")

    def __str__(self):
        return describe_rule(self)

    def clean(self):
        errors = {}
        if self.from_kw is not None and self.to_kw is not None and self.from_kw >= self.to_kw:
            errors["to_kw"] = _("The band must end above its start.")
        if not (self.fixed_amount or self.per_kw_amount or self.distance_rate):
            errors["fixed_amount"] = _("Enter a fixed amount, an amount per kW or an amount per metre.")
        if self.urgent_surcharge and self.urgent_multiplier:
            errors["urgent_multiplier"] = _("Enter either an urgent surcharge or a multiplier, not both.")
        if self.term != ANY and (self.urgent_surcharge or self.urgent_multiplier):
            errors["term"] = _(
                "An urgent surcharge or multiplier belongs on a rule for any term; "
                "a rule for one term already has that term's price."
            )
        if errors:
            raise ValidationError(errors)
