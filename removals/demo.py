"""Demo data for W3: Azerigaz household accounts with gas meters (verification dates spread, some
overdue) in Baku branches (the §2.1 five-day term) and in Ganja and Mingachevir (ten days), the
price list of domain-figures.md, and one case in every stage so the queue and the consumer's page
show something real. Idempotent: accounts and meters by their codes, cases by a fixed key."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from meters.models import Meter, SubscriberAccount
from portal.models import Branch, StaffMembership, Tenant
from portal.workdays import calendar_for
from removals import services
from removals.models import Channel, MeterPrice, MeterRemoval, Reason, RemovalSettings, Result

CITIZEN_EMAIL = "citizen@abonent.local"
# Azerbaijan Metrology Institute, 2024 (domain-figures.md); a G4 smart kit cost 220–240 AZN (2020).
PRICES = [
    ("G2.5", "7.29", "150.00", "20.00"),
    ("G4", "7.29", "160.00", "20.00"),
    ("G6", "7.29", "180.00", "20.00"),
    ("G10", "39.10", "420.00", "35.00"),
    ("G16", "39.10", "560.00", "35.00"),
    ("G25", "39.10", "720.00", "35.00"),
    ("G4 smart-card", "7.21", "230.00", "25.00"),
    ("G6 smart-card", "7.21", "250.00", "25.00"),
    ("G10 smart-card", "35.26", "480.00", "35.00"),
]
SOURCE = "Azərbaycan Metrologiya İnstitutu, 2024"
# code, holder, address, branch, meter serial, type, years until verification (negative: overdue), stage
ACCOUNTS = [
    ("300400501", "Aysel Məmmədova", "Bakı, Nərimanov r., Təbriz küç. 8, m. 21", "narimanov", "AQZ-G-801001",
     "G4 smart-card", 2, "damages"),
    ("300400502", "Rəşad Əliyev", "Bakı, Binəqədi r., Azadlıq pr. 140, m. 5", "binagadi", "AQZ-G-801002",
     "G4", -1, "removed"),
    ("300400503", "Leyla Hüseynova", "Sumqayıt, 9-cu mkr., ev 12, m. 33", "sumgayit", "AQZ-G-801003",
     "G6", 1, "at_lab"),
    ("300400504", "Elçin Quliyev", "Gəncə, Kəpəz r., Atatürk pr. 11, m. 3", "ganja", "AQZ-G-801004",
     "G4", -2, "verified"),
    ("300400505", "Nərmin Abbasova", "Gəncə, Nizami r., Cavadxan küç. 64", "ganja", "AQZ-G-801005",
     "G2.5", 3, "acts_issued"),
    ("300400506", "Tural Kərimov", "Mingəçevir, H. Əliyev pr. 30, m. 9", "mingachevir", "AQZ-G-801006",
     "G6 smart-card", 4, "enforced"),
    ("300400507", "Günay Rəhimova", "Abşeron r., Xırdalan, 28 May küç. 4", "absheron", "AQZ-G-801007",
     "G4", 0, "closed"),
    ("300400508", "Samir Nəsirov", "Bakı, Nərimanov r., Ə. Rəcəbli küç. 3, m. 60", "narimanov", "AQZ-G-801008",
     "G4", -1, "registered"),
    ("300400509", "Aysel Məmmədova", "Bakı, Nərimanov r., Təbriz küç. 8, m. 21 (mətbəx)", "narimanov",
     "AQZ-G-801009", "G4", -1, None),
]  # fmt: skip
CITIZEN_ACCOUNTS = {"300400501", "300400509"}


def seed(stdout):
    tenant = Tenant.objects.filter(slug="azerigaz").first()
    if tenant is None:
        stdout.write("removals: no Azerigaz tenant, skipped")
        return []
    for meter_type, fee, value, costs in PRICES:
        MeterPrice.objects.update_or_create(
            tenant=tenant,
            meter_type=meter_type,
            defaults={
                "verification_fee": Decimal(fee),
                "meter_value": Decimal(value),
                "installation_cost": Decimal(costs),
                "source": SOURCE,
            },
        )
    RemovalSettings.objects.get_or_create(
        tenant=tenant,
        defaults={
            "damages_payment_days": 10,
            "lab_name": "Azəriqaz Dövlət Yoxlama Laboratoriyası",
            "lab_address": "Bakı, Yusif Səfərov küç. 23",
        },
    )
    staff = StaffMembership.objects.for_tenant(tenant).select_related("user").order_by("pk").first()
    actor = staff.user if staff is not None else None
    citizen = get_user_model().objects.filter(email=CITIZEN_EMAIL).first()
    today = tenant.today()
    stdout.write("Azerigaz gas meter cases (W3):")
    for code, holder, address, branch_code, serial, meter_type, years, stage in ACCOUNTS:
        branch = Branch.objects.for_tenant(tenant).get(code=branch_code)
        account, _created = SubscriberAccount.objects.update_or_create(
            tenant=tenant,
            code=code,
            defaults={"holder_name": holder, "address": address, "branch": branch},
        )
        if citizen is not None and code in CITIZEN_ACCOUNTS:
            account.users.add(citizen)
        meter, _created = Meter.objects.get_or_create(
            tenant=tenant,
            account=account,
            serial_number=serial,
            defaults={
                "kind": Meter.Kind.GAS,
                "model": meter_type,
                "seal_number": f"MK-{serial[-6:]}",
                "installed_on": today - datetime.timedelta(days=5 * 365),
                "verification_due_on": today + datetime.timedelta(days=int(365 * years) - 20),
            },
        )
        if stage is None or actor is None:
            continue
        removal = MeterRemoval.objects.filter(tenant=tenant, application__idempotency_key=f"demo-{code}").first()
        if removal is None:
            removal = _case_in_stage(tenant, account, meter, stage, actor, citizen, today)
        stdout.write(f"  {removal.application.number}  {code}  {branch.name}: {stage}")
    return []


def _case_in_stage(tenant, account, meter, stage, actor, citizen, today):
    calendar = calendar_for(tenant)
    order = ["registered", "removed", "at_lab", "verified", "acts_issued", "damages", "enforced", "closed"]
    depth = order.index(stage)
    # Removed long enough ago for the stage reached; the Binəqədi case is past its five-day term.
    removed_on = calendar.add_working_days(today, -(3 + 3 * depth) if stage != "removed" else -7)
    tampering = stage in ("damages", "enforced", "verified")
    removal, _created = services.open_case(
        account=account,
        meter=meter,
        reason=Reason.TAMPERING if tampering else (Reason.PERIODIC if depth % 2 else Reason.MALFUNCTION),
        channel=Channel.FIELD_VISIT if tampering else Channel.CONSUMER_REQUEST,
        actor=actor,
        applicant=citizen if citizen is not None and citizen in account.users.all() else None,
        idempotency_key=f"demo-{account.code}",
        attendance_requested=stage == "at_lab",
        requested_by_consumer=stage == "acts_issued",
    )
    if depth == 0:
        return removal
    removed_at = timezone.make_aware(datetime.datetime.combine(removed_on, datetime.time(11, 30)))
    seals = f"{meter.seal_number}, GZ-{meter.serial_number[-4:]}"
    removal = services.record_removal(
        removal=removal,
        actor=actor,
        removed_at=removed_at,
        reading=Decimal("4821.337"),
        seals=seals,
        consumer_present=True,
        bag_number=f"BAG-{meter.serial_number[-4:]}",
    )
    if depth == 1:
        return removal
    intake_on = calendar.add_working_days(removed_on, 2)
    # The Sumqayıt case shows a seal that differs at intake (§2.2).
    removal = services.record_intake(
        removal=removal,
        actor=actor,
        intake_on=intake_on,
        reading=Decimal("4821.337"),
        seals=seals if stage != "at_lab" else meter.seal_number,
    )
    if depth == 2:
        return removal
    result = Result.TAMPERED if tampering else Result.SUITABLE
    removal = services.record_verification(
        removal=removal,
        actor=actor,
        result=result,
        verified_on=calendar.add_working_days(intake_on, 1),
        certificate_number=f"DY-{meter.serial_number[-4:]}",
        valid_until=today + datetime.timedelta(days=5 * 365) if result == Result.SUITABLE else None,
        verifier_name="Kamran Əsədov",
    )
    if depth == 3:
        return removal
    services.issue_acts(removal=removal, actor=actor)
    if stage == "closed":
        services.close_case(removal=removal, actor=actor)
        return removal
    if depth == 4:
        return removal
    services.charge_damages(removal=removal, actor=actor)
    if stage == "enforced":
        services.warn_unpaid_damages(removal=removal)
        services.enforce_unpaid_damages(removal=removal, actor=actor)
    return removal
