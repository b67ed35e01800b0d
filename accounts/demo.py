"""Demo people: a citizen and a legal-entity user who owns an organisation (seeded after the
portal core, which creates the tenants and staff)."""

from accounts.models import Organization, OrganizationMembership
from portal.demo import Login, demo_user


def seed_people():
    """A citizen and a legal-entity user who owns an organisation."""
    citizen = demo_user("citizen@abonent.local", "Aysel Məmmədova", phone="+994501234567", preferred_language="az")
    legal = demo_user("legal@abonent.local", "Андрей Волков", phone="+79121234567", preferred_language="ru")
    organization, _ = Organization.objects.update_or_create(
        tax_number="1831098766",
        defaults={
            "name": "ООО «Камский технопарк»",
            "legal_address": "426011, Удмуртская Республика, Ижевск, ул. Пушкинская, 154",
            "bank_name": "Удмуртское отделение № 8618 ПАО Сбербанк",
            "bank_code": "049401601",
            "bank_account": "40702810868000012345",
        },
    )
    OrganizationMembership.objects.update_or_create(
        organization=organization, user=legal, defaults={"role": OrganizationMembership.Role.OWNER}
    )
    return [
        Login("citizen", citizen.email),
        Login(f"legal entity owner ({organization.name})", legal.email),
    ]


def seed(stdout=None):
    logins = seed_people()
    if stdout is not None:
        stdout.write("accounts: a citizen and a legal-entity owner with an organisation")
    return logins
