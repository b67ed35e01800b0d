from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Branch, TenantOwned
from portal.storage import private_storage


class Service(models.TextChoices):
    WATER = "water", _("Water supply")
    WASTEWATER = "wastewater", _("Wastewater")
    HOT_WATER = "hot_water", _("Hot water")
    ELECTRICITY = "electricity", _("Electricity")
    GAS = "gas", _("Natural gas")
    # One-off charges of the gas meter removal rules (W3): §1.3 verification fee, §2.7 damages.
    VERIFICATION = "verification", _("State verification of a meter")
    METER_DAMAGES = "meter_damages", _("Damages for a meter")


class Tariff(TenantOwned):
    """Prices of one service for one customer category, in force from valid_from to valid_to
    (inclusive); the tariff in force on the reading date applies. Prices are tiered by blocks."""

    class Category(models.TextChoices):
        HOUSEHOLD = "household", _("Household")
        LEGAL_ENTITY = "legal_entity", _("Legal entity")

    name = models.CharField(_("name"), max_length=200)
    service = models.CharField(_("service"), max_length=16, choices=Service.choices)
    category = models.CharField(_("customer category"), max_length=16, choices=Category.choices)
    branches = models.ManyToManyField(
        Branch,
        blank=True,
        verbose_name=_("branches"),
        help_text=_("Leave empty when the tariff applies in every branch (e.g. Baku has its own water price)."),
    )
    unit = models.CharField(_("unit"), max_length=12, default="m³")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    vat_rate = models.DecimalField(_("VAT rate, %"), max_digits=5, decimal_places=2, default=0)
    prices_include_vat = models.BooleanField(_("prices include VAT"), default=True)
    source = models.CharField(_("legal source"), max_length=300, blank=True)

    class Meta:
        ordering = ["tenant_id", "service", "category", "-valid_from"]
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        indexes = [models.Index(fields=["tenant", "service", "category", "valid_from"], name="tariff_lookup")]

    def __str__(self):
        return self.name


class TariffBlock(models.Model):
    """A consumption block of a tiered tariff: units above the previous block's limit up to
    ``up_to`` (None: no upper limit) cost ``price`` each."""

    tariff = models.ForeignKey(Tariff, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("tariff"))
    up_to = models.DecimalField(_("up to (units)"), max_digits=12, decimal_places=3, null=True, blank=True)
    price = models.DecimalField(_("price per unit"), max_digits=12, decimal_places=4)

    class Meta:
        ordering = ["tariff_id", models.F("up_to").asc(nulls_last=True)]
        verbose_name = _("tariff block")
        verbose_name_plural = _("tariff blocks")

    def __str__(self):
        return f"≤ {self.up_to}: {self.price}" if self.up_to is not None else f"> …: {self.price}"


class Invoice(TenantOwned):
    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("number"), max_length=32)
    account = models.ForeignKey(
        "meters.SubscriberAccount",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("subscriber account"),
    )
    application = models.OneToOneField(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoice",
        verbose_name=_("application"),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("pay by"))
    currency = models.CharField(_("currency"), max_length=3)
    net_total = models.DecimalField(_("amount without VAT"), max_digits=14, decimal_places=2, default=0)
    vat_total = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2, default=0)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=0)
    payment_reference = models.CharField(_("payment reference"), max_length=40)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ISSUED)
    language = models.CharField(_("language"), max_length=8)
    pdf = models.FileField(_("PDF"), storage=private_storage, upload_to="invoices/%Y/%m/", blank=True)
    # Formed by a monthly billing run: its PDF is rendered on demand (first download, a pack),
    # not by the sweep, which would otherwise render a million of them up front (#12, goal 3).
    # No index: the run's inserts stay cheap, and the run is looked up from its invoices only.
    billing_run = models.ForeignKey(
        "billing.BillingRun",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("billing run"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [models.UniqueConstraint(fields=["tenant", "number"], name="invoice_number_unique")]
        indexes = [models.Index(fields=["account", "-issued_on"], name="invoice_account_recent")]

    def __str__(self):
        return self.number


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice"))
    service = models.CharField(_("service"), max_length=16, choices=Service.choices)
    meter = models.ForeignKey("meters.Meter", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("meter"))
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=12)
    unit_price = models.DecimalField(_("price"), max_digits=12, decimal_places=4)
    net_amount = models.DecimalField(_("amount without VAT"), max_digits=14, decimal_places=2)
    vat_amount = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    # What the invoice printed, kept as it was: the tariff and the readings may be corrected later.
    vat_rate = models.DecimalField(_("VAT rate, %"), max_digits=5, decimal_places=2, default=0)
    prices_include_vat = models.BooleanField(_("prices include VAT"), default=True)
    previous_value = models.DecimalField(_("previous reading"), max_digits=12, decimal_places=3, null=True, blank=True)
    previous_date = models.DateField(_("previous reading date"), null=True, blank=True)
    current_value = models.DecimalField(_("current reading"), max_digits=12, decimal_places=3, null=True, blank=True)
    current_date = models.DateField(_("current reading date"), null=True, blank=True)

    class Meta:
        ordering = ["invoice_id", "pk"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")

    def __str__(self):
        return self.description

    @property
    def unit_price_format(self):
        """The floatformat of the unit price: two places, or as many as the tariff has (8.4
        qəpik/kWh is 0.084 AZN), never the four trailing zeros of the column."""
        places = max(2, -self.unit_price.normalize().as_tuple().exponent)
        return f"{places}g"


class Payment(TenantOwned):
    class Channel(models.TextChoices):
        """How the money came: a code, shown in the reader's language."""

        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        CARD = "card", _("Card")
        CASH = "cash", _("Cash")
        ONLINE = "online", _("Online payment service")
        OTHER = "other", _("Other")

    account = models.ForeignKey(
        "meters.SubscriberAccount",
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("subscriber account"),
    )
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="payments", verbose_name=_("invoice")
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    channel = models.CharField(_("payment method"), max_length=20, choices=Channel.choices, blank=True)
    # What the bank or the provider wrote ("Payme", "п/п №118"): data, shown as it came.
    method = models.CharField(_("method as reported"), max_length=40, blank=True)
    # The bank's or payment provider's id: importing the same payment twice books it once.
    external_id = models.CharField(_("payment id"), max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.UniqueConstraint(fields=["tenant", "external_id"], name="payment_external_id_unique")]
        indexes = [models.Index(fields=["account", "-paid_on"], name="payment_account_recent")]

    def __str__(self):
        return f"{self.amount} {self.paid_on:%Y-%m-%d} — {self.account.code}"

    @property
    def method_label(self):
        """The payment method for a reader: the channel's label, then what the bank reported."""
        parts = [str(self.get_channel_display()) if self.channel else "", self.method]
        return " — ".join(part for part in parts if part)


class InvoiceSequence(TenantOwned):
    """The last invoice number issued per tenant and year.

    Locked (select_for_update) in the transaction that inserts the invoice, like the application
    numbers: numbers stay gap-free and distinct under concurrent acceptances, and a rolled-back
    acceptance rolls its increment back too.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    last_value = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("invoice number sequence")
        verbose_name_plural = _("invoice number sequences")
        constraints = [models.UniqueConstraint(fields=["tenant", "year"], name="invoice_sequence_unique")]

    def __str__(self):
        return f"{self.tenant_id}/{self.year}: {self.last_value}"


class MonthlyReport(TenantOwned):
    """The PDF of a contract's monthly report (consumption, charges, payments), rendered by a task.

    One row per contract and month: asking again re-renders it, since payments booked later
    change the figures of a past month.
    """

    contract = models.ForeignKey(
        "meters.Contract", on_delete=models.CASCADE, related_name="monthly_reports", verbose_name=_("contract")
    )
    period = models.DateField(_("month"), help_text=_("First day of the month."))
    pdf = models.FileField(_("PDF"), storage=private_storage, upload_to="reports/%Y/%m/", blank=True)
    language = models.CharField(_("language"), max_length=8)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)

    class Meta:
        ordering = ["-period"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [models.UniqueConstraint(fields=["contract", "period"], name="monthly_report_unique")]

    def __str__(self):
        return f"{self.contract_id} {self.period:%Y-%m}"


class BillingRun(TenantOwned):
    """The monthly billing run of a tenant for one month: invoices for every active account's
    consumption in the month, formed set-based in chunks of account ids (billing/run/).

    One run per tenant and month: starting it again resumes its unfinished chunks, and a chunk
    skips accounts already invoiced for the month, so a rerun changes nothing.
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    period = models.DateField(_("month"), help_text=_("First day of the month."))
    issued_on = models.DateField(_("issued on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RUNNING)
    chunks_total = models.PositiveIntegerField(_("chunks"), default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-period", "-pk"]
        verbose_name = _("billing run")
        verbose_name_plural = _("billing runs")
        constraints = [models.UniqueConstraint(fields=["tenant", "period"], name="billing_run_unique_per_month")]

    def __str__(self):
        return f"{self.tenant_id} {self.period:%Y-%m}"


class BillingRunChunk(models.Model):
    """Accounts ``first_account_id`` <= id < ``end_account_id`` (None: no upper bound) of a run.

    A worker claims a chunk with SELECT … FOR UPDATE SKIP LOCKED and holds the row lock for the
    chunk's whole transaction: the lock is the "running" state, so a worker that dies releases
    the chunk by rolling back and any other worker (or a rerun) takes it up again.
    """

    run = models.ForeignKey(BillingRun, on_delete=models.CASCADE, related_name="chunks", verbose_name=_("run"))
    first_account_id = models.BigIntegerField(_("first account id"))
    end_account_id = models.BigIntegerField(_("end account id (excluded)"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    invoices = models.PositiveIntegerField(_("invoices formed"), default=0)
    lines = models.PositiveIntegerField(_("lines formed"), default=0)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["run_id", "first_account_id"]
        verbose_name = _("billing run chunk")
        verbose_name_plural = _("billing run chunks")
        constraints = [
            models.UniqueConstraint(fields=["run", "first_account_id"], name="billing_run_chunk_unique_start")
        ]
        indexes = [models.Index(fields=["run", "done"], name="billing_run_chunk_pending")]

    def __str__(self):
        return f"{self.run_id}: {self.first_account_id}–{self.end_account_id or '…'}"


class InvoicePack(TenantOwned):
    """One merged PDF of a company's invoices for a month (its contracts' accounts), for the
    cabinet (#12, goal 3). Built by a task from the invoices' own PDFs, each rendered once and
    kept; rebuilt when the month's invoices have changed since."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    period = models.DateField(_("month"), help_text=_("First day of the month."))
    pdf = models.FileField(_("PDF"), storage=private_storage, upload_to="packs/%Y/%m/", blank=True)
    # The invoices merged, as "id,id,…": a pack whose invoices differ from the month's is stale.
    invoice_ids = models.TextField(_("invoices merged"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)

    class Meta:
        ordering = ["-period"]
        verbose_name = _("invoice pack")
        verbose_name_plural = _("invoice packs")
        constraints = [models.UniqueConstraint(fields=["tenant", "organization", "period"], name="invoice_pack_unique")]

    def __str__(self):
        return f"{self.organization_id} {self.period:%Y-%m}"
