"""The admin's GIS import page: staff of the tenant upload an export and read the per-row report."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from connections.models import Parcel, PowerCentre
from tests.connections.factories_gis import DistrictFactory, ParcelFactory
from tests.connections.test_gis_import import CENTRES_CSV, PARCELS_CSV
from tests.portal.factories import StaffMembershipFactory

pytestmark = pytest.mark.django_db

PARCEL_IMPORT = "/admin/connections/parcel/import/"
CENTRE_IMPORT = "/admin/connections/powercentre/import/"


def staff_of(tenant, client, otp_login, *, codenames=None):
    user = StaffMembershipFactory(tenant=tenant).user
    permissions = Permission.objects.filter(content_type__app_label="connections")
    if codenames is not None:
        permissions = permissions.filter(codename__in=codenames)
    user.user_permissions.set(permissions)
    otp_login(client, user)
    return user


@pytest.fixture
def district(tenant):
    return DistrictFactory(tenant=tenant, code="nasimi", name="Nəsimi")


def upload(content, name="export.csv"):
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content, "text/csv")


def test_staff_import_parcels_and_read_the_per_row_report(client, tenant, district, otp_login):
    staff_of(tenant, client, otp_login)

    response = client.post(PARCEL_IMPORT, {"file": upload(PARCELS_CSV), "data_version": "2026-11-30"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Data version 2026-11-30: 2 created, 0 updated, 0 unchanged, 6 refused." in content
    assert "Unknown district “atlantis”: add it under Districts first." in content
    assert '<tr class="gis-import-refused">' in content
    assert Parcel.objects.filter(tenant=tenant, data_version="2026-11-30").count() == 2


def test_the_report_is_in_the_staff_members_language(client, tenant, district, otp_login):
    staff_of(tenant, client, otp_login)

    response = client.post(PARCEL_IMPORT, {"file": upload(PARCELS_CSV)}, HTTP_ACCEPT_LANGUAGE="az")

    assert "Naməlum rayon «atlantis»" in response.content.decode()


def test_staff_import_power_centres(client, tenant, district, otp_login):
    staff_of(tenant, client, otp_login)

    response = client.post(CENTRE_IMPORT, {"file": upload(CENTRES_CSV)})

    assert response.status_code == 200
    assert PowerCentre.objects.filter(tenant=tenant).count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\x00\x00", "NUL bytes"), (b"a,b\n1,2\n", "Missing columns"), (b'{"type": ', "not valid GeoJSON")],
)
def test_a_bad_file_is_a_form_error_not_a_500(client, tenant, district, otp_login, content, message):
    staff_of(tenant, client, otp_login)

    response = client.post(PARCEL_IMPORT, {"file": upload(content, "x.geojson" if b"{" in content else "x.csv")})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Parcel.objects.count() == 0


def test_a_file_above_the_limit_is_a_form_error(client, tenant, district, otp_login, settings):
    settings.CONNECTIONS_GIS_IMPORT_MAX_BYTES = 500
    staff_of(tenant, client, otp_login)

    response = client.post(PARCEL_IMPORT, {"file": upload(PARCELS_CSV * 5)})

    assert "The file is larger than" in response.content.decode()


def test_no_file_is_a_form_error(client, tenant, district, otp_login):
    staff_of(tenant, client, otp_login)

    response = client.post(PARCEL_IMPORT, {})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_staff_import_into_their_own_tenant_only(client, tenant, other_tenant, district, otp_login):
    DistrictFactory(tenant=other_tenant, code="nasimi")
    staff_of(other_tenant, client, otp_login)

    # The single-tenant form has no tenant field: a posted tenant id is ignored.
    client.post(PARCEL_IMPORT, {"file": upload(PARCELS_CSV), "tenant": tenant.pk})

    assert Parcel.objects.filter(tenant=tenant).count() == 0
    assert Parcel.objects.filter(tenant=other_tenant).count() == 2


def test_staff_without_add_and_change_permission_cannot_import(client, tenant, district, otp_login):
    staff_of(tenant, client, otp_login, codenames=["view_parcel"])

    assert client.get(PARCEL_IMPORT).status_code == 403
    assert "Import from the GIS" not in client.get("/admin/connections/parcel/").content.decode()


def test_the_changelist_offers_the_import_and_hides_another_tenants_parcels(
    client, tenant, other_tenant, district, otp_login
):
    ParcelFactory(district=district, registry_number="OWN-1")
    ParcelFactory(district=DistrictFactory(tenant=other_tenant), registry_number="FOREIGN-1")
    staff_of(tenant, client, otp_login)

    content = client.get("/admin/connections/parcel/").content.decode()

    assert "Import from the GIS" in content
    assert "OWN-1" in content and "FOREIGN-1" not in content


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    response = client.get(PARCEL_IMPORT)

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_district_of_one_tenant_cannot_take_another_tenants_branch_or_rows(tenant, other_tenant):
    from django.core.exceptions import ValidationError

    from tests.portal.factories import BranchFactory

    foreign_branch = BranchFactory(tenant=other_tenant)
    district = DistrictFactory.build(tenant=tenant, code="nasimi", branch=foreign_branch)
    with pytest.raises(ValidationError) as refused:
        district.full_clean()
    assert "branch" in refused.value.message_dict

    foreign_district = DistrictFactory(tenant=other_tenant)
    parcel = ParcelFactory.build(tenant=tenant, district=foreign_district)
    with pytest.raises(ValidationError) as refused:
        parcel.full_clean()
    assert "district" in refused.value.message_dict
