"""The W2 form: each step, its bad inputs (a clear message, nothing saved), the double post, the
registration's SMS and e-mail, and a query count that does not grow with the GIS data."""

import re

import pytest
from django.urls import reverse

from applications.models import Application
from connections.models import ConnectionRequest, Parcel, PowerCentre
from portal.models import Notification, Workflow
from portal.urls_helpers import tenant_reverse
from tests.connections.conftest import PHONE, confirm_phone, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(azerishiq):
    return tenant_reverse(azerishiq, "connections:apply")


@pytest.fixture
def logged_in(client, citizen):
    client.force_login(citizen)
    return client


def post(client, url, district, **changes):
    return client.post(url, form_data(district=str(district.pk), **changes))


def test_without_basic_data_the_page_asks_for_them_in_the_profile(client, stranger, url, azerishiq):
    client.force_login(stranger)
    response = client.get(url)
    assert response.status_code == 200
    assert "Fill in your personal details" in response.content.decode()
    assert reverse("accounts:personal_details") in response.content.decode()


def test_the_form_shows_the_basic_data_read_only(logged_in, url, parcel):
    page = logged_in.get(url).content.decode()
    assert "Məmmədova" in page and "5ABC123" in page and "AZE 12345678" in page
    assert 'name="surname"' not in page


def test_calculate_shows_the_fee_and_the_alternatives(logged_in, url, parcel, district):
    response = post(logged_in, url, district, step="calculate", power_kw="8")
    page = response.content.decode()
    assert response.status_code == 200
    assert "quote-box" in page
    assert "320.00" in page  # 8 kW × 40 AZN
    assert "Compare" in page
    # Calculate does not check the parts below it.
    assert "There is a problem" not in page


def test_the_javascript_partial_is_the_fee_box_alone(logged_in, azerishiq, parcel, district):
    response = logged_in.post(tenant_reverse(azerishiq, "connections:quote"), form_data(power_kw="12", phase="single"))
    page = response.content.decode()
    assert "720.00" in page  # 12 kW × 60 AZN
    assert "<form" not in page


def test_continue_fills_in_the_distance_to_the_nearest_centre(logged_in, url, parcel, district):
    page = post(logged_in, url, district, step="locate").content.decode()
    assert "Distance to the nearest power centre" in page
    assert re.search(r"30\d m", page)
    assert "NSM-TM-1" in page


def test_a_parcel_without_position_is_measured_from_the_district_and_says_approximate(logged_in, url, district, centre):
    from tests.connections.factories_gis import ParcelFactory

    ParcelFactory(
        district=district, registry_number="NSM-0010", registration_number="050010", latitude=None, longitude=None
    )
    page = post(logged_in, url, district, step="locate", registry_number="NSM-0010", registration_number="050010")
    assert "approximate" in page.content.decode()


@pytest.mark.parametrize(
    ("power", "message"),
    [
        ("0", "Enter a power above 0 kW."),
        ("-5", "Enter a power above 0 kW."),
        ("150.1", "The service connects up to 150 kW"),
        ("0.15", "Enter the power in steps of 0.1 kW"),
        ("abc", "Not a number"),
    ],
)
def test_a_bad_power_is_refused_with_a_clear_message(logged_in, url, parcel, district, power, message):
    response = post(logged_in, url, district, step="calculate", power_kw=power)
    assert message in response.content.decode()
    assert "quote-box" not in response.content.decode()


def test_an_unknown_registry_number_is_refused_on_continue(logged_in, url, parcel, district):
    page = post(logged_in, url, district, step="locate", registry_number="NSM-9999").content.decode()
    assert "No property with this registry number" in page


def test_an_unknown_district_is_refused(logged_in, url, parcel, district):
    page = logged_in.post(url, form_data(district="999999", step="locate")).content.decode()
    assert "Choose the district from the list." in page


def test_a_district_of_another_tenant_is_not_in_the_list(logged_in, url, parcel, district):
    from tests.connections.factories_gis import DistrictFactory

    foreign = DistrictFactory(name="Foreign district")
    page = logged_in.get(url).content.decode()
    assert "Foreign district" not in page
    assert "Choose the district from the list." in post(logged_in, url, foreign, step="locate").content.decode()


@pytest.mark.parametrize(
    ("phone", "message"),
    [("012 345 67 89", "This is not a mobile number"), ("+79121234567", "mobile number of this country")],
)
def test_a_landline_or_a_foreign_number_gets_no_code(logged_in, url, parcel, district, phone, message):
    page = post(logged_in, url, district, step="send_code", phone=phone).content.decode()
    assert message in page
    assert not Notification.objects.filter(channel=Notification.Channel.SMS).exists()


def test_send_code_then_a_wrong_code_then_the_right_one(logged_in, url, parcel, district, azerishiq):
    key = form_data()["idempotency_key"]
    page = post(logged_in, url, district, step="send_code", idempotency_key=key).content.decode()
    assert "We sent a code by SMS" in page
    code = re.search(r"\b(\d{6})\b", Notification.objects.get(channel="sms").body).group(1)
    wrong = "000000" if code != "000000" else "111111"
    page = post(logged_in, url, district, step="confirm_code", sms_code=wrong, idempotency_key=key).content.decode()
    assert "The code is wrong" in page
    page = post(logged_in, url, district, step="confirm_code", sms_code=code, idempotency_key=key).content.decode()
    assert "Your mobile number is confirmed." in page


def test_sending_without_a_confirmed_number_saves_nothing(logged_in, url, parcel, district):
    page = post(logged_in, url, district).content.decode()
    assert "Enter the code we sent by SMS" in page
    assert not Application.objects.exists()


def test_sending_registers_the_application_and_tells_the_applicant(logged_in, url, parcel, district, azerishiq, branch):
    confirm_phone(azerishiq, _user(logged_in))
    response = post(logged_in, url, district)
    application = Application.objects.get()
    assert response.status_code == 302
    assert response.url == tenant_reverse(azerishiq, "applications:detail", kwargs={"number": application.number})
    assert application.branch == branch
    assert application.stage == "registered"
    request = application.connection_request
    assert request.quote_total == 320
    assert request.quote["schedule"]["id"] is not None and request.quote["lines"]
    assert request.distance_m and request.centre.code == "NSM-TM-1" and request.distance_method == "haversine"
    assert request.parcel == parcel
    messages = Notification.objects.filter(template="connections_registered")
    assert {m.channel for m in messages} == {"email", "sms"}
    assert all(application.number in m.body for m in messages)
    assert {m.recipient for m in messages} == {"aysel@example.com", PHONE}


def test_a_double_post_creates_one_application(logged_in, url, parcel, district, azerishiq):
    confirm_phone(azerishiq, _user(logged_in))
    data = form_data(district=str(district.pk))
    first = logged_in.post(url, data)
    second = logged_in.post(url, data)
    assert Application.objects.count() == 1 == ConnectionRequest.objects.count()
    assert first.url == second.url
    assert Notification.objects.filter(template="connections_registered", channel="email").count() == 1


def test_an_entrepreneur_without_a_tax_number_is_told_to_add_it(logged_in, url, parcel, district, azerishiq):
    user = _user(logged_in)
    user.personal_details.entrepreneur_tax_number = ""
    user.personal_details.save()
    confirm_phone(azerishiq, user)
    page = post(logged_in, url, district, applicant_kind="entrepreneur").content.decode()
    assert "needs his tax number" in page
    assert not Application.objects.exists()


def test_the_page_is_translated(logged_in, url, parcel, district, azerishiq):
    logged_in.cookies["django_language"] = "az"
    user = _user(logged_in)
    user.preferred_language = "az"
    user.save()
    page = post(logged_in, url, district, step="calculate", power_kw="0", HTTP_ACCEPT_LANGUAGE="az").content.decode()
    assert "Enter a power above 0 kW." not in page


def _user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def _bulk_parcels(district, count):
    Parcel.objects.bulk_create(
        [
            Parcel(
                tenant=district.tenant,
                district=district,
                registry_number=f"BULK-{n:06d}",
                registration_number=f"R{n:06d}",
                latitude=40.3 + (n % 1000) * 0.0001,
                longitude=49.8 + (n // 1000) * 0.0001,
            )
            for n in range(count)
        ],
        batch_size=5000,
    )


def _bulk_centres(district, count):
    PowerCentre.objects.bulk_create(
        [
            PowerCentre(
                tenant=district.tenant,
                district=district,
                code=f"BULK-{n:05d}",
                name=f"Centre {n}",
                kind=PowerCentre.Kind.TRANSFORMER_POINT,
                high_voltage_kv="10",
                low_voltage_kv="0.4",
                rated_kva="400",
                available_kva="100",
                latitude=40.2 + (n % 100) * 0.002,
                longitude=49.7 + (n // 100) * 0.002,
            )
            for n in range(count)
        ],
        batch_size=5000,
    )


def _locate_queries(client, url, district, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = post(client, url, district, step="locate")
    assert "Distance to the nearest power centre" in response.content.decode()
    return len(captured)


def test_the_forms_query_count_does_not_grow_with_parcels_or_centres(
    logged_in, url, parcel, district, django_assert_max_num_queries
):
    _bulk_parcels(district, 100)
    _bulk_centres(district, 10)
    # Warm up: the first request of a process loads the tenants and stamps the session's activity.
    logged_in.get(url)
    small = _locate_queries(logged_in, url, district, django_assert_max_num_queries, 40)
    _bulk_parcels_more = 100_000 - 100
    Parcel.objects.bulk_create(
        [
            Parcel(tenant=district.tenant, district=district, registry_number=f"MORE-{n:06d}", registration_number="x")
            for n in range(_bulk_parcels_more)
        ],
        batch_size=10_000,
    )
    _bulk_centres_more(district)
    large = _locate_queries(logged_in, url, district, django_assert_max_num_queries, small)
    assert large == small


def _bulk_centres_more(district):
    PowerCentre.objects.bulk_create(
        [
            PowerCentre(
                tenant=district.tenant,
                district=district,
                code=f"MORE-{n:05d}",
                name=f"Far centre {n}",
                kind=PowerCentre.Kind.POLE,
                high_voltage_kv="0.4",
                low_voltage_kv="0.4",
                rated_kva="60",
                available_kva="15",
                latitude=41.0 + (n % 100) * 0.001,
                longitude=48.0 + (n // 100) * 0.001,
            )
            for n in range(9_990)
        ],
        batch_size=5000,
    )


def test_send_code_needs_only_the_number(logged_in, url, parcel, district):
    page = post(logged_in, url, district, step="send_code", email="").content.decode()
    assert "We sent a code by SMS" in page


def test_a_tenant_without_the_service_has_no_form(client, citizen):
    from tests.portal.factories import TenantFactory

    water = TenantFactory(slug="azersu", workflows=[Workflow.METER_READINGS.value])
    client.force_login(citizen)
    assert client.get(tenant_reverse(water, "connections:apply")).status_code == 404


def test_the_profile_page_keeps_the_basic_data(client, stranger):
    client.force_login(stranger)
    response = client.post(
        reverse("accounts:personal_details") + "?next=/azerishiq/connections/",
        {
            "surname": "Əliyev",
            "given_name": "Rəşad",
            "patronymic": "",
            "personal_id_number": "7 xyz12 3",
            "id_document": "AZE 1",
            "birth_date": "1990-01-02",
            "address": "Gəncə",
            "entrepreneur_tax_number": "12",
            "next": "/azerishiq/connections/",
        },
    )
    assert "VÖEN" in response.content.decode()  # the tax number's rule, in the form
    assert not hasattr(stranger, "personal_details") or stranger.personal_details is None
    response = client.post(
        reverse("accounts:personal_details"),
        {
            "surname": "Əliyev",
            "given_name": "Rəşad",
            "personal_id_number": "7xyz123",
            "next": "/azerishiq/connections/",
        },
    )
    assert response.status_code == 302 and response.url == "/azerishiq/connections/"
    from accounts.models import PersonalDetails

    details = PersonalDetails.objects.get(user=stranger)
    assert (details.personal_id_number, details.country) == ("7XYZ123", "AZ")


def test_verified_basic_data_cannot_be_changed_on_the_profile(client, citizen):
    citizen.personal_details.verified_by = "ASAN Login"
    citizen.personal_details.save()
    client.force_login(citizen)
    page = client.get(reverse("accounts:personal_details")).content.decode()
    assert "ASAN Login" in page and 'name="surname"' not in page
    client.post(reverse("accounts:personal_details"), {"surname": "Changed", "given_name": "X"})
    citizen.personal_details.refresh_from_db()
    assert citizen.personal_details.surname == "Məmmədova"
