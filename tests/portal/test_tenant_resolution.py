import pytest
from django.urls import reverse

from portal.urls_helpers import tenant_reverse
from tests.portal.factories import TenantFactory

pytestmark = pytest.mark.django_db


def test_shared_portal_home_lists_the_tenants(client, tenant, other_tenant):
    response = client.get("/")
    assert response.status_code == 200
    assert "Azersu" in response.text and "Izhvodokanal" in response.text
    assert 'href="/azersu/"' in response.text


def test_tenant_is_resolved_from_the_first_path_segment_and_urls_keep_the_prefix(client, tenant):
    response = client.get("/azersu/")
    assert response.status_code == 200
    assert response.wsgi_request.tenant == tenant
    # reverse() inside the request produced prefixed URLs (the language switcher's action).
    assert 'action="/azersu/i18n/setlang/"' in response.text


def test_tenant_is_resolved_from_its_own_domain_without_a_prefix(client):
    own = TenantFactory(slug="azerishiq", name="Azerishiq", domain="portal.azerishiq.test")
    response = client.get("/", HTTP_HOST="portal.azerishiq.test")
    assert response.status_code == 200
    assert response.wsgi_request.tenant == own
    assert 'action="/i18n/setlang/"' in response.text


def test_unknown_tenant_is_404(client, tenant):
    assert client.get("/no-such-utility/").status_code == 404


def test_slug_without_trailing_slash_redirects(client, tenant):
    response = client.get("/azersu")
    assert response.status_code == 301
    assert response["Location"] == "/azersu/"


def test_reverse_outside_a_request_is_unprefixed_and_tenant_reverse_adds_the_prefix(tenant):
    assert reverse("home") == "/"
    assert tenant_reverse(tenant, "home") == "/azersu/"
    assert tenant.absolute_url("home").endswith("/azersu/")


def test_inactive_tenant_is_404(client):
    TenantFactory(slug="closed", is_active=False)
    assert client.get("/closed/").status_code == 404


def test_a_cached_request_resolves_the_tenant_without_a_query(client, tenant, django_assert_num_queries):
    client.get("/azersu/healthz/")
    with django_assert_num_queries(0):
        assert client.get("/azersu/healthz/").status_code == 200


def test_saving_a_tenant_drops_the_cached_one(client, tenant):
    assert client.get("/azersu/healthz/").status_code == 200
    tenant.is_active = False
    tenant.save()
    assert client.get("/azersu/healthz/").status_code == 404


def test_other_processes_reload_after_the_ttl(client, tenant, monkeypatch):
    from portal import tenant_cache

    assert client.get("/azersu/healthz/").status_code == 200
    type(tenant).objects.filter(pk=tenant.pk).update(is_active=False)  # no signal: as if another process saved it
    assert client.get("/azersu/healthz/").status_code == 200
    monkeypatch.setattr(tenant_cache, "TTL_SECONDS", -1)
    assert client.get("/azersu/healthz/").status_code == 404


def test_a_tenant_created_by_another_process_is_found_at_once(client, tenant, monkeypatch):
    from portal import tenant_cache
    from tests.portal.factories import TenantFactory

    assert client.get("/azersu/healthz/").status_code == 200  # the snapshot is loaded
    monkeypatch.setattr(tenant_cache, "MISS_RELOAD_SECONDS", -1)
    monkeypatch.setattr(tenant_cache, "clear", lambda: None)  # as if another process saved it
    TenantFactory(slug="azerishiq")
    assert client.get("/azerishiq/healthz/").status_code == 200


def test_unknown_addresses_reload_the_tenants_at_most_once_a_second(client, tenant, django_assert_max_num_queries):
    assert client.get("/azersu/healthz/").status_code == 200
    with django_assert_max_num_queries(1):
        for n in range(20):
            assert client.get(f"/nobody-{n}/healthz/").status_code == 404
