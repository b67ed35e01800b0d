"""The hidden idempotency key every application form carries."""

import uuid

from django import forms

from portal.forms import IdempotencyKeyField, normalize_idempotency_key


class KeyedForm(forms.Form):
    idempotency_key = IdempotencyKeyField()


def test_each_form_shown_gets_its_own_hidden_key():
    first, second = KeyedForm(), KeyedForm()
    assert 'type="hidden"' in str(first["idempotency_key"])
    assert first["idempotency_key"].value() != second["idempotency_key"].value()
    assert uuid.UUID(first["idempotency_key"].value())


def test_a_key_re_shown_with_the_posted_data_is_kept():
    key = uuid.uuid4().hex
    assert KeyedForm(initial={"idempotency_key": key})["idempotency_key"].value() == key


def test_a_posted_key_is_stored_as_plain_hex_whatever_its_spelling():
    key = uuid.uuid4()
    form = KeyedForm({"idempotency_key": str(key).upper()})
    assert form.is_valid()
    assert form.cleaned_data["idempotency_key"] == key.hex


def test_a_key_that_is_not_a_uuid_says_the_form_expired():
    form = KeyedForm({"idempotency_key": "not-a-key"})
    assert not form.is_valid()
    assert form.errors["idempotency_key"] == ["The form has expired. Open it again."]


def test_normalize_idempotency_key_returns_none_for_anything_else():
    assert normalize_idempotency_key("") is None
    assert normalize_idempotency_key("12-34") is None
    assert normalize_idempotency_key("12345678-1234-5678-1234-567812345678") == "12345678123456781234567812345678"
