"""The password rules are read out with the password field: they sit inside the element its
aria-describedby names (a <ul> inside a <p> would be pushed out of it by the browser's parser)."""
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Elements whose content model excludes a list: the browser closes them before a <ul>.
PHRASING_ONLY = {"p", "span", "label", "small", "em", "strong"}


class _DescribedBy(HTMLParser):
    def __init__(self, element_id):
        super().__init__()
        self.element_id, self.tag, self.depth, self.text = element_id, None, 0, []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag == self.tag
        elif dict(attrs).get("id") == self.element_id:
            self.tag, self.depth = tag, 1

    def handle_endtag(self, tag):
        if self.depth and tag == self.tag:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def described_by(html, input_name):
    field = re.search(rf'<input[^>]*name="{input_name}"[^>]*>', html).group(0)
    element_id = re.search(r'aria-describedby="([^"]+)"', field).group(1).split()[0]
    parser = _DescribedBy(element_id)
    parser.feed(html)
    return parser.tag, " ".join("".join(parser.text).split())


def assert_rules_described(html, input_name):
    tag, text = described_by(html, input_name)
    assert tag not in PHRASING_ONLY
    assert "at least" in text and "characters" in text  # MinimumLengthValidator's rule
    assert "entirely numeric" in text


def test_registration_password_rules_are_in_the_described_element(client, tenant):
    assert_rules_described(client.get("/azersu/accounts/register/").text, "password1")


def test_password_change_rules_are_in_the_described_element(client, user):
    client.force_login(user)
    assert_rules_described(client.get(reverse("accounts:password_change")).text, "new_password1")


def test_registration_password_rules_are_in_the_readers_language(client, tenant):
    client.cookies["django_language"] = "ru"
    _tag, text = described_by(client.get("/azersu/accounts/register/").text, "password1")
    assert "символ" in text
