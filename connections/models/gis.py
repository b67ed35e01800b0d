"""The utility's GIS as the grid-connection form needs it: districts (the list the applicant picks
from, each routed to a branch), power centres (what can feed a new connection, with the capacity
left) and land parcels (the property's registry and registration numbers and where it lies).

Rows are loaded from the utility's GIS export (``connections.gis.importing``), never typed in by
the applicant. Coordinates are WGS 84 degrees; the nearest-centre lookup prefilters on the indexed
latitude/longitude before it computes the great-circle distance (``connections.gis.nearest``).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.models import Branch, TenantOwned

latitude_validators = [MinValueValidator(-90), MaxValueValidator(90)]
longitude_validators = [MinValueValidator(-180), MaxValueValidator(180)]


class District(TenantOwned):
    """An administrative district the applicant picks; the application goes to its branch."""

    code = models.CharField(_("code"), max_length=32)
    # The official Azerbaijani name; the other languages fall back to it (local_name).
    name = models.CharField(_("name"), max_length=120)
    name_ru = models.CharField(_("name in Russian"), max_length=120, blank=True)
    name_en = models.CharField(_("name in Latin transliteration"), max_length=120, blank=True)
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gis_districts",
        verbose_name=_("branch"),
        help_text=_("Applications for objects in this district are routed to this branch."),
    )
    latitude = models.FloatField(_("centroid latitude"), validators=latitude_validators)
    longitude = models.FloatField(_("centroid longitude"), validators=longitude_validators)

    class Meta:
        ordering = ["tenant_id", "name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [models.UniqueConstraint(fields=["tenant", "code"], name="district_code_unique_per_tenant")]

    def __str__(self):
        return self.local_name

    def clean(self):
        super().clean()
        if self.branch_id and self.tenant_id and self.branch.tenant_id != self.tenant_id:
            raise ValidationError({"branch": _("Choose a branch of the same tenant.")})

    @property
    def local_name(self):
        """Azerbaijani readers get the official name, Russian readers the Russian one, the rest
        (English, Uzbek in Latin script) the Latin transliteration; each falls back to the official."""
        language = (translation.get_language() or "").split("-")[0]
        if language == "ru":
            return self.name_ru or self.name
        if language in ("en", "uz"):
            return self.name_en or self.name
        return self.name


class PowerCentre(TenantOwned):
    """A point of the network a new connection can be fed from."""

    class Kind(models.TextChoices):
        SUBSTATION = "substation", _("Substation 110/35 kV")
        TRANSFORMER_POINT = "transformer_point", _("Transformer point 10(6)/0.4 kV")
        POLE = "pole", _("0.4 kV pole")
        FEEDER = "feeder", _("0.4 kV feeder")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="power_centres", verbose_name=_("district")
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    high_voltage_kv = models.DecimalField(_("high voltage, kV"), max_digits=6, decimal_places=2)
    low_voltage_kv = models.DecimalField(_("low voltage, kV"), max_digits=6, decimal_places=2)
    rated_kva = models.DecimalField(_("rated power, kVA"), max_digits=10, decimal_places=1)
    available_kva = models.DecimalField(
        _("available power, kVA"),
        max_digits=10,
        decimal_places=1,
        help_text=_("Capacity not yet promised to connections; a centre with less than a request needs is skipped."),
    )
    latitude = models.FloatField(_("latitude"), validators=latitude_validators)
    longitude = models.FloatField(_("longitude"), validators=longitude_validators)
    data_version = models.CharField(_("data version"), max_length=64, blank=True)
    imported_on = models.DateTimeField(_("imported on"), null=True, blank=True)

    class Meta:
        ordering = ["tenant_id", "code"]
        verbose_name = _("power centre")
        verbose_name_plural = _("power centres")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="power_centre_code_unique_per_tenant"),
            models.CheckConstraint(
                condition=models.Q(available_kva__gte=0), name="power_centre_available_not_negative"
            ),
        ]
        # The nearest-centre lookup's bounding box: tenant equality, then a latitude range, with
        # longitude checked inside the index (bench/gis_nearest.py shows the plan).
        indexes = [models.Index(fields=["tenant", "latitude", "longitude"], name="power_centre_position")]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        super().clean()
        check_same_tenant(self)


class Parcel(TenantOwned):
    """A land parcel (or the building's plot) as the property registry and the GIS know it."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="parcels", verbose_name=_("district"))
    # Stored normalized (connections.gis.numbers.normalize_number): the applicant types them.
    registry_number = models.CharField(_("registry number"), max_length=40)
    registration_number = models.CharField(_("registration number"), max_length=40)
    latitude = models.FloatField(_("centroid latitude"), null=True, blank=True, validators=latitude_validators)
    longitude = models.FloatField(_("centroid longitude"), null=True, blank=True, validators=longitude_validators)
    boundary_wkt = models.TextField(_("boundary (WKT)"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    data_version = models.CharField(_("data version"), max_length=64, blank=True)
    imported_on = models.DateTimeField(_("imported on"), null=True, blank=True)

    class Meta:
        ordering = ["tenant_id", "registry_number"]
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "registry_number"], name="parcel_registry_unique_per_tenant"),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="parcel_both_coordinates_or_none",
            ),
        ]

    def __str__(self):
        return self.registry_number

    def clean(self):
        super().clean()
        check_same_tenant(self)

    @property
    def has_position(self):
        return self.latitude is not None and self.longitude is not None


def check_same_tenant(row):
    """A centre or parcel lies in a district of its own tenant (the admin and the import keep it so)."""
    if row.district_id and row.tenant_id and row.district.tenant_id != row.tenant_id:
        raise ValidationError({"district": _("Choose a district of the same tenant.")})
