from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization, OrganizationInvitation, OrganizationMembership
from portal.models import Notification
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory, first_link

pytestmark = pytest.mark.django_db

Role = OrganizationMembership.Role
COMPANY = {
    "tax_number": "1400 123 456",
    "name": "Caspian Bottling LLC",
    "legal_address": "Baku, Neftchilar avenue 1",
    "bank_name": "Kapital Bank",
    "bank_code": "200004",
    "bank_account": "AZ21NABZ00000000137010001944",
}


def detail(organization):
    return reverse("accounts:organization_detail", args=[organization.pk])


def test_the_creator_of_an_organization_becomes_its_owner(client, user):
    client.force_login(user)

    response = client.post(reverse("accounts:organization_create"), COMPANY)

    organization = Organization.objects.get()
    assert organization.tax_number == "1400123456"
    assert response["Location"] == detail(organization)
    assert organization.memberships.get().user == user
    assert organization.memberships.get().role == Role.OWNER
    assert "Caspian Bottling LLC" in client.get(reverse("accounts:organizations")).text


def test_a_taken_tax_number_suggests_asking_the_owner_for_an_invitation(client, user):
    OrganizationFactory(tax_number="1400123456")
    client.force_login(user)

    response = client.post(reverse("accounts:organization_create"), COMPANY)

    assert response.status_code == 200
    assert "already registered. Ask its owner to invite you to it." in response.text
    assert Organization.objects.count() == 1


def test_an_invalid_tax_number_is_refused(client, user):
    client.force_login(user)

    response = client.post(reverse("accounts:organization_create"), {**COMPANY, "tax_number": "12AB"})

    assert "A tax number has 9 to 12 digits." in response.text
    assert not Organization.objects.exists()


def test_only_members_see_an_organization(client, user, other_user):
    organization = MembershipFactory(user=other_user).organization
    client.force_login(user)

    assert client.get(detail(organization)).status_code == 404
    assert organization.name not in client.get(reverse("accounts:organizations")).text

    MembershipFactory(organization=organization, user=user, role=Role.ACCOUNTANT)
    page = client.get(detail(organization))
    assert page.status_code == 200
    assert other_user.email in page.text
    # An accountant sees the members but does not manage them.
    assert reverse("accounts:organization_invite", args=[organization.pk]) not in page.text
    assert client.get(reverse("accounts:organization_invite", args=[organization.pk])).status_code == 404


def invite(client, organization, email="colleague@example.com", role=Role.ACCOUNTANT):
    return client.post(reverse("accounts:organization_invite", args=[organization.pk]), {"email": email, "role": role})


def test_an_owner_invites_a_colleague_who_joins_with_the_role(client, tenant, user):
    organization = MembershipFactory(user=user).organization
    colleague = UserFactory(email="colleague@example.com")
    client.force_login(user)

    response = client.post(
        f"/azersu/accounts/organizations/{organization.pk}/invite/",
        {"email": "Colleague@Example.com", "role": Role.ACCOUNTANT},
    )
    assert response["Location"] == f"/azersu/accounts/organizations/{organization.pk}/"
    notification = Notification.objects.get(template="account_organization_invitation")
    assert notification.recipient == "colleague@example.com"
    link = first_link(notification.body)
    assert link.startswith("http://testserver/azersu/accounts/invitations/")
    assert "colleague@example.com" in client.get(detail(organization)).text  # waiting for an answer

    client.force_login(colleague)
    page = client.get(link)
    assert f"Join {organization.name}" in page.text
    assert not organization.memberships.filter(user=colleague).exists()  # not before pressing "Accept"
    joined = client.post(link)

    assert joined["Location"] == f"/azersu/accounts/organizations/{organization.pk}/"
    assert organization.memberships.get(user=colleague).role == Role.ACCOUNTANT
    again = client.post(link)
    assert "This invitation has already been used." in again.text


def test_an_invitation_works_only_for_its_address(client, user, other_user):
    organization = MembershipFactory(user=user).organization
    client.force_login(user)
    invite(client, organization)
    link = first_link(Notification.objects.get().body)

    client.force_login(other_user)
    response = client.post(link)

    assert "This invitation was sent to another e-mail address." in response.text
    assert not organization.memberships.filter(user=other_user).exists()
    assert OrganizationInvitation.objects.get().accepted_at is None


def test_an_invitation_expires_after_seven_days(client, user):
    organization = MembershipFactory(user=user).organization
    client.force_login(user)
    invite(client, organization)
    OrganizationInvitation.objects.update(created_at=timezone.now() - timedelta(days=7, minutes=1))
    colleague = UserFactory(email="colleague@example.com")

    client.force_login(colleague)
    response = client.post(first_link(Notification.objects.get().body))

    assert "This invitation has expired." in response.text
    assert not organization.memberships.filter(user=colleague).exists()


def test_an_unknown_invitation_is_404(client, user):
    client.force_login(user)

    assert client.get(reverse("accounts:accept_invitation", args=["no-such-token"])).status_code == 404


def test_inviting_a_member_again_is_refused(client, user):
    organization = MembershipFactory(user=user).organization
    client.force_login(user)

    response = invite(client, organization, email=user.email)

    assert "already a member" in response.text
    assert not OrganizationInvitation.objects.exists()


def test_the_owner_changes_roles_and_removes_members(client, user, other_user):
    owner = MembershipFactory(user=user)
    member = MembershipFactory(organization=owner.organization, user=other_user, role=Role.ACCOUNTANT)
    client.force_login(user)

    client.post(
        reverse("accounts:organization_member_role", args=[owner.organization_id, member.pk]),
        {f"m{member.pk}-role": Role.OWNER},
    )
    member.refresh_from_db()
    assert member.role == Role.OWNER

    response = client.post(reverse("accounts:organization_member_remove", args=[owner.organization_id, member.pk]))
    assert response["Location"] == detail(owner.organization)
    assert not OrganizationMembership.objects.filter(pk=member.pk).exists()


def test_the_last_owner_can_be_neither_removed_nor_demoted(client, user, other_user):
    owner = MembershipFactory(user=user)
    MembershipFactory(organization=owner.organization, user=other_user, role=Role.ACCOUNTANT)
    client.force_login(user)

    removed = client.post(
        reverse("accounts:organization_member_remove", args=[owner.organization_id, owner.pk]), follow=True
    )
    assert "An organization needs at least one owner." in removed.text
    demoted = client.post(
        reverse("accounts:organization_member_role", args=[owner.organization_id, owner.pk]),
        {f"m{owner.pk}-role": Role.ACCOUNTANT},
        follow=True,
    )
    assert "An organization needs at least one owner." in demoted.text
    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_an_accountant_cannot_remove_anyone(client, user, other_user):
    owner = MembershipFactory(user=other_user)
    MembershipFactory(organization=owner.organization, user=user, role=Role.ACCOUNTANT)
    client.force_login(user)

    response = client.post(reverse("accounts:organization_member_remove", args=[owner.organization_id, owner.pk]))

    assert response.status_code == 404
    assert OrganizationMembership.objects.filter(pk=owner.pk).exists()


def test_members_of_another_organization_cannot_be_touched_through_ones_own(client, user, other_user):
    mine = MembershipFactory(user=user).organization
    theirs = MembershipFactory(user=other_user)
    client.force_login(user)

    response = client.post(reverse("accounts:organization_member_remove", args=[mine.pk, theirs.pk]))

    assert response.status_code == 404
    assert OrganizationMembership.objects.filter(pk=theirs.pk).exists()


def test_an_invitee_with_an_account_gets_the_invitation_in_his_language(client, user):
    organization = MembershipFactory(user=user).organization
    UserFactory(email="ivan@example.com", preferred_language="ru")
    client.force_login(user)

    invite(client, organization, email="ivan@example.com")
    invite(client, organization, email="stranger@example.com")

    languages = dict(Notification.objects.values_list("recipient", "language"))
    assert languages == {"ivan@example.com": "ru", "stranger@example.com": "en"}
