"""Demo W2 for Azerishiq (seed_demo calls ``seed``): the fee schedules and the GIS of the other
two parts, the demo citizen's basic data, and three of his applications in different stages
(under review, fee invoice issued, connected) so every page and the staff queue have something
to show. Keyed on fixed idempotency keys: a second run finds the same applications."""

import datetime
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import PersonalDetails
from applications.models import Application
from connections.demo_fees import seed_fee_schedules
from connections.demo_gis import seed_gis
from connections.fees import ApplicantKind, ObjectKind, Phase, Term
from connections.kinds import Stages
from connections.models import District, PhoneConfirmation
from connections.services import stages, submission
from portal.models import Tenant

CITIZEN = "citizen@abonent.local"
STAFF = "staff@azerishiq.abonent.local"
CITIZEN_PHONE = "+994501234567"
# (key, district code, registry number, registration number, kW, phase, applicant, stage to reach)
APPLICATIONS = [
    ("demo-w2-review", "nasimi", "NSM-0002", "050002", "8", Phase.SINGLE, ApplicantKind.HOUSEHOLD, Stages.REVIEW),
    (
        "demo-w2-invoiced",
        "yasamal",
        "YSM-0003",
        "070003",
        "12.5",
        Phase.SINGLE,
        ApplicantKind.HOUSEHOLD,
        Stages.INVOICED,
    ),
    (
        "demo-w2-connected",
        "sumgayit",
        "SMQ-0004",
        "080004",
        "15",
        Phase.THREE,
        ApplicantKind.ENTREPRENEUR,
        Stages.CONNECTED,
    ),
]


def seed_citizen_details(citizen):
    details, _created = PersonalDetails.objects.update_or_create(
        user=citizen,
        defaults={
            "country": "AZ",
            "surname": "Məmmədova",
            "given_name": "Aysel",
            "patronymic": "Rəşid qızı",
            "personal_id_number": "5ABCD12",
            "id_document": "AZE 17654321",
            "birth_date": datetime.date(1988, 4, 12),
            "address": "AZ1014, Bakı, Nəsimi rayonu, Füzuli küçəsi 51, mənzil 8",
            "entrepreneur_tax_number": "1403456781",
        },
    )
    return details


def _key(name):
    return uuid.uuid5(uuid.NAMESPACE_URL, f"abonent:{name}").hex


def _application(tenant, citizen, staff, row):
    key, district_code, registry, registration, power, phase, applicant_kind, target = row
    existing = Application.objects.for_tenant(tenant).filter(applicant=citizen, idempotency_key=_key(key)).first()
    if existing is not None:
        return existing
    now = timezone.now()
    PhoneConfirmation.objects.create(
        tenant=tenant, user=citizen, phone=CITIZEN_PHONE, code_hash="demo", expires_at=now, confirmed_at=now
    )
    inputs = submission.quote_inputs(
        applicant_kind=applicant_kind,
        object_kind=ObjectKind.HOUSE,
        building_has_general_conditions=False,
        phase=phase,
        power_kw=Decimal(power),
        term=Term.STANDARD,
    )
    place = submission.ObjectData(
        district=District.objects.for_tenant(tenant).get(code=district_code),
        registry_number=registry,
        registration_number=registration,
    )
    application, _created = submission.submit_connection_request(
        tenant=tenant,
        applicant=citizen,
        details=citizen.personal_details,
        inputs=inputs,
        place=place,
        phone=CITIZEN_PHONE,
        email=citizen.email,
        idempotency_key=_key(key),
        language="az",
    )
    order = [Stages.REVIEW, Stages.INVOICED, Stages.PAID, Stages.CONDITIONS, Stages.CONNECTED]
    today = tenant.today()
    for stage in order[: order.index(target) + 1]:
        if stage == Stages.REVIEW:
            stages.start_review(application=application, actor=staff)
        elif stage == Stages.INVOICED:
            stages.issue_fee_invoice(application=application, actor=staff)
        elif stage == Stages.PAID:
            stages.record_fee_payment(
                application=application, actor=staff, paid_on=today, external_id=f"DEMO-{application.number}"
            )
        elif stage == Stages.CONDITIONS:
            stages.issue_conditions(
                application=application,
                actor=staff,
                text=(
                    "Qoşulma nöqtəsi: SMQ-DR-1 0,4 kV dirəyi.\n"
                    "Kabel: 4×16 mm² alüminium, hava xətti, 35 m.\n"
                    "Sayğac: üçfazalı elektron sayğac, hasarın xarici tərəfində, möhürlənmiş qutuda.\n"
                    "Avtomat açar: 3×32 A."
                ),
            )
        elif stage == Stages.CONNECTED:
            stages.connect(application=application, actor=staff, connected_on=today, meter_serial="AZI-DEMO-0004")
    return application


def seed(stdout=None):
    tenant = Tenant.objects.filter(slug="azerishiq").first()
    if tenant is None:
        return []
    seed_fee_schedules(tenant)
    counts = seed_gis(tenant)
    users = get_user_model().objects
    citizen = users.get(email=CITIZEN)
    staff = users.get(email=STAFF)
    seed_citizen_details(citizen)
    numbers = [_application(tenant, citizen, staff, row).number for row in APPLICATIONS]
    if stdout is not None:
        districts, parcels, centres = counts
        stdout.write(
            f"connections: Azerishiq fee schedules (2024 current, 2018 history), GIS with {districts} districts, "
            f"{parcels} parcels and {centres} power centres; {CITIZEN}'s basic data; applications "
            f"{', '.join(numbers)} (under review, invoiced, connected). "
            "Walk W2 with registry number NSM-0001 and registration number 050001 in Nəsimi."
        )
    return []
