import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_shared_portal_lists_the_utilities(page, demo_tenants):
    page.goto("/")

    for name in ["Azersu", "Azerishiq", "Azerigaz", "Uzbekenergo", "Izhvodokanal"]:
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()


def test_the_skip_link_is_the_first_tab_stop_and_jumps_to_the_content(page, demo_tenants):
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.locator(".skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_a_tenant_home_lists_its_eservices(page, live_server, demo_tenants):
    page.goto("/")
    page.get_by_role("link", name="Azersu", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/azersu/")
    expect(page.locator("h1")).to_contain_text("Azersu")
    expect(page.locator(".card-list .card")).to_have_count(1)
    page.screenshot(path="/tmp/abonent-home.png", full_page=True)


def test_the_language_switcher_changes_the_page_language(page, live_server, demo_tenants):
    page.goto("/azersu/")

    page.locator(".language-switcher button[value=ru]").click()

    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator(".language-switcher button[value=ru]")).to_have_attribute("aria-current", "true")
    expect(page).to_have_url(f"{live_server.url}/azersu/")
