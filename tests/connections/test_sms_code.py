"""The one-time SMS code that confirms the mobile number before sending (issue #10, item 6)."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from connections.models import PhoneConfirmation
from connections.services import phones
from portal.models import Notification
from tests.connections.conftest import PHONE

pytestmark = pytest.mark.django_db


def sent_code(tenant):
    body = Notification.objects.filter(tenant=tenant, channel=Notification.Channel.SMS).latest("pk").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_the_code_goes_by_sms_through_the_outbox_and_only_its_hash_is_kept(azerishiq, citizen):
    confirmation = phones.send_code(tenant=azerishiq, user=citizen, phone=PHONE, language="en")
    sms = Notification.objects.get(tenant=azerishiq, channel=Notification.Channel.SMS)
    assert sms.recipient == PHONE
    code = sent_code(azerishiq)
    assert code not in confirmation.code_hash
    phones.confirm_code(tenant=azerishiq, user=citizen, phone=PHONE, code=code)
    assert phones.confirmed_at(tenant=azerishiq, user=citizen, phone=PHONE) is not None


def test_a_wrong_code_is_refused_and_counted(azerishiq, citizen):
    phones.send_code(tenant=azerishiq, user=citizen, phone=PHONE, language="en")
    wrong = "000000" if sent_code(azerishiq) != "000000" else "111111"
    with pytest.raises(ValidationError) as error:
        phones.confirm_code(tenant=azerishiq, user=citizen, phone=PHONE, code=wrong)
    assert error.value.code == "wrong_code"
    assert "Tries left: 4" in error.value.messages[0]
    assert PhoneConfirmation.objects.get().attempts == 1
    assert phones.confirmed_at(tenant=azerishiq, user=citizen, phone=PHONE) is None


def test_an_expired_code_is_refused_even_when_right(azerishiq, citizen):
    confirmation = phones.send_code(tenant=azerishiq, user=citizen, phone=PHONE, language="en")
    PhoneConfirmation.objects.filter(pk=confirmation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(ValidationError) as error:
        phones.confirm_code(tenant=azerishiq, user=citizen, phone=PHONE, code=sent_code(azerishiq))
    assert error.value.code == "code_expired"


def test_after_the_last_wrong_try_even_the_right_code_is_refused(azerishiq, citizen):
    phones.send_code(tenant=azerishiq, user=citizen, phone=PHONE, language="en")
    code = sent_code(azerishiq)
    wrong = "000000" if code != "000000" else "111111"
    for _try in range(phones.MAX_ATTEMPTS):
        with pytest.raises(ValidationError):
            phones.confirm_code(tenant=azerishiq, user=citizen, phone=PHONE, code=wrong)
    with pytest.raises(ValidationError) as error:
        phones.confirm_code(tenant=azerishiq, user=citizen, phone=PHONE, code=code)
    assert error.value.code == "too_many_attempts"


def test_a_new_code_to_the_same_number_waits_a_minute(azerishiq, citizen):
    phones.send_code(tenant=azerishiq, user=citizen, phone=PHONE, language="en")
    with pytest.raises(ValidationError) as error:
        phones.send_code(tenant=azerishiq, user=citizen, phone=PHONE, language="en")
    assert error.value.code == "resend_wait"
    assert Notification.objects.filter(channel=Notification.Channel.SMS).count() == 1


def test_a_user_gets_a_few_codes_an_hour(azerishiq, citizen):
    # Five numbers, so that no resend wait applies: the hourly limit counts per user.
    for n in range(5):
        phones.send_code(tenant=azerishiq, user=citizen, phone=f"+99450123450{n}", language="en")
    with pytest.raises(ValidationError) as error:
        phones.send_code(tenant=azerishiq, user=citizen, phone="+994501234509", language="en")
    assert error.value.code == "too_many_codes"
    assert "Too many attempts" in error.value.messages[0]


def test_a_code_of_another_user_confirms_nothing(azerishiq, citizen, stranger):
    phones.send_code(tenant=azerishiq, user=citizen, phone=PHONE, language="en")
    with pytest.raises(ValidationError) as error:
        phones.confirm_code(tenant=azerishiq, user=stranger, phone=PHONE, code=sent_code(azerishiq))
    assert error.value.code == "no_code"


@pytest.mark.parametrize(
    ("typed", "code"),
    [("012 345 67 89", "not_mobile"), ("+7 912 123-45-67", "foreign_phone"), ("12", "invalid_phone")],
)
def test_a_landline_or_a_foreign_number_is_refused(typed, code):
    with pytest.raises(ValidationError) as error:
        phones.normalize_mobile(typed, "AZ")
    assert error.value.code == code


def test_an_azerbaijani_mobile_is_normalized():
    assert phones.normalize_mobile("050 123 45 67", "AZ") == PHONE
