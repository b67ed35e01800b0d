"""The W2 cast: Azerishiq with the demo fee schedules, one district routed to a branch with a
parcel and a power centre 300 m away, a citizen with his basic data, a stranger and the branch's
reviewer."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import PersonalDetails
from connections.demo_fees import seed_fee_schedules
from connections.fees import ApplicantKind, ObjectKind, Phase, Term
from connections.models import PhoneConfirmation
from connections.services import submission
from portal.models import Workflow
from tests.accounts.factories import UserFactory
from tests.connections.factories_gis import DistrictFactory, ParcelFactory, PowerCentreFactory, offset
from tests.portal.factories import BranchFactory, StaffMembershipFactory, TenantFactory

PHONE = "+994501234567"
REGISTRY = "NSM-0001"
REGISTRATION = "050001"


@pytest.fixture
def azerishiq(db):
    tenant = TenantFactory(
        slug="azerishiq",
        name="Azerishiq",
        country_code="AZ",
        default_language="en",
        application_prefix="AZI",
        workflows=[Workflow.GRID_CONNECTION.value],
    )
    seed_fee_schedules(tenant)
    return tenant


@pytest.fixture
def branch(azerishiq):
    return BranchFactory(tenant=azerishiq, code="baku-south", name="Bakı cənub filialı")


@pytest.fixture
def district(azerishiq, branch):
    return DistrictFactory(tenant=azerishiq, code="nasimi", name="Nəsimi", branch=branch)


@pytest.fixture
def centre(district):
    lat, lon = offset(metres_north=300)
    return PowerCentreFactory(
        district=district, code="NSM-TM-1", name="Transformator məntəqəsi 1", latitude=lat, longitude=lon
    )


@pytest.fixture
def parcel(district, centre):
    return ParcelFactory(district=district, registry_number=REGISTRY, registration_number=REGISTRATION)


@pytest.fixture
def citizen(db):
    user = UserFactory(email="aysel@example.com", full_name="Aysel Məmmədova", phone=PHONE)
    PersonalDetails.objects.create(
        user=user,
        country="AZ",
        surname="Məmmədova",
        given_name="Aysel",
        patronymic="Rəşid qızı",
        personal_id_number="5ABC123",
        id_document="AZE 12345678",
        birth_date=datetime.date(1988, 4, 12),
        address="Bakı, Nizami küçəsi 12",
        entrepreneur_tax_number="1402057621",
    )
    return user


@pytest.fixture
def stranger(db):
    return UserFactory(email="stranger@example.com", full_name="Stranger")


@pytest.fixture
def reviewer(azerishiq, branch):
    from django.contrib.auth.models import Permission

    user = UserFactory(email="staff@azerishiq.test", is_staff=True)
    StaffMembershipFactory(tenant=azerishiq, user=user).branches.add(branch)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["connections", "applications", "billing"])
    )
    return user


def confirm_phone(tenant, user, phone=PHONE):
    """A phone confirmed a moment ago, as the SMS step leaves it."""
    now = timezone.now()
    return PhoneConfirmation.objects.create(
        tenant=tenant,
        user=user,
        phone=phone,
        code_hash="x",
        expires_at=now + datetime.timedelta(minutes=5),
        confirmed_at=now,
    )


def form_data(**changes):
    """The W2 form as a citizen fills it, all parts valid."""
    data = {
        "applicant_kind": ApplicantKind.HOUSEHOLD,
        "term": Term.STANDARD,
        "phase": Phase.SINGLE,
        "power_kw": "8",
        "object_kind": ObjectKind.HOUSE,
        "district": "",
        "registry_number": REGISTRY,
        "registration_number": REGISTRATION,
        "phone": "050 123 45 67",
        "sms_code": "",
        "email": "aysel@example.com",
        "idempotency_key": uuid.uuid4().hex,
        "step": "submit",
    }
    data.update(changes)
    return data


def submit(tenant, user, district, *, power="8", applicant_kind=ApplicantKind.HOUSEHOLD, term=Term.STANDARD, **kw):
    """A request sent through the service, as the form sends it."""
    confirm_phone(tenant, user)
    inputs = submission.quote_inputs(
        applicant_kind=applicant_kind,
        object_kind=kw.pop("object_kind", ObjectKind.HOUSE),
        building_has_general_conditions=kw.pop("building_has_general_conditions", False),
        phase=kw.pop("phase", Phase.SINGLE),
        power_kw=Decimal(power),
        term=term,
    )
    place = submission.ObjectData(district=district, registry_number=REGISTRY, registration_number=REGISTRATION)
    application, _created = submission.submit_connection_request(
        tenant=tenant,
        applicant=user,
        details=user.personal_details,
        inputs=inputs,
        place=place,
        phone=PHONE,
        email=user.email,
        idempotency_key=kw.pop("idempotency_key", uuid.uuid4().hex),
        language=kw.pop("language", "en"),
    )
    return application
