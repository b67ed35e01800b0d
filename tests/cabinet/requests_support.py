"""Shared set-up of the cabinet request tests: a W4 tenant, a contract linked to an organization
with an owner and an accountant, an intruder from another organization, and a reviewer."""

import io
import uuid
from dataclasses import dataclass

from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.urls_helpers import tenant_reverse
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.cabinet.factories import linked_contract, member_of
from tests.portal.factories import StaffMembershipFactory, TenantFactory, login_verified_staff

# Short names the tests use → the cabinet's URL names.
REQUEST_URL_NAMES = {"list": "requests", "attachment": "request_attachment", "detail": "request_detail"}

CHANGELIST = "/admin/cabinet/requestapplication/"
User = get_user_model()


@dataclass
class Cabinet:
    tenant: object
    contract: object
    organization: object
    owner: object
    accountant: object
    intruder: object

    def url(self, name, **kwargs):
        return tenant_reverse(
            self.tenant,
            "cabinet:" + REQUEST_URL_NAMES.get(name, name),
            kwargs={"contract_id": self.contract.pk, **kwargs},
        )


def make_cabinet():
    tenant = TenantFactory(slug="uzbekenergo", name="Uzbekenergo", country_code="UZ", timezone="Asia/Tashkent")
    organization = OrganizationFactory(name="Tashkent Textile JSC", bank_name="Old Bank", bank_code="00001")
    contract = linked_contract(tenant, organization=organization, number="UE-77", monthly_limit="1500.000")
    owner = UserFactory(email="owner@textile.example", full_name="Dilshod Karimov")
    accountant = UserFactory(email="accountant@textile.example", full_name="Malika Yusupova")
    member_of(organization, owner, "owner")
    member_of(organization, accountant, "accountant")
    intruder = UserFactory(email="intruder@other.example", full_name="Other Person")
    member_of(OrganizationFactory(name="Other Company LLC"), intruder, "owner")
    return Cabinet(tenant, contract, organization, owner, accountant, intruder)


def make_reviewer(client, tenant):
    """Log ``client`` in as the tenant's reviewer (created on the first call)."""
    user = User.objects.filter(email="reviewer@uzbekenergo.example").first()
    if user is None:
        user = UserFactory(email="reviewer@uzbekenergo.example", full_name="Staff Reviewer", is_staff=True)
        user.user_permissions.set(
            Permission.objects.filter(
                content_type__app_label="cabinet",
                codename__in=["view_requestapplication", "change_requestapplication"],
            )
        )
        StaffMembershipFactory(tenant=tenant, user=user)
    login_verified_staff(client, user)
    return user


def admin_action(client, action, applications, **extra):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [a.pk for a in applications], **extra}
    return client.post(CHANGELIST, data, follow=True)


def key():
    return uuid.uuid4().hex


def pdf_bytes():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def pdf_upload(name="letter.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def png_upload(name="photo.png"):
    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(output, format="PNG")
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/png")


def executable_upload(name="invoice.pdf"):
    # A Windows program renamed to look like a PDF: the content decides, not the name.
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03" + b"\x00" * 200 + b"This program cannot be run in DOS mode")
