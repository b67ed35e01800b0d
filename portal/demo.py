"""Demo data for the portal core: the five demo utilities, their branches, staff with TOTP devices,
a citizen and a legal-entity user.

Everything is keyed on natural keys (slug, branch code, e-mail, tax number) and written with
update_or_create, so ``manage.py seed_demo`` can run any number of times and leaves the same rows.
Later apps add their own ``<app>/demo.py`` with a ``seed(stdout)`` function; seed_demo calls them.
"""

import base64
import hashlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import Branch, StaffMembership, Tenant, Workflow

DEMO_PASSWORD = "demo-pass-2026"
TOTP_DEVICE_NAME = "Demo authenticator"


@dataclass(frozen=True)
class Login:
    """One line of the table seed_demo prints at the end."""

    role: str
    email: str
    password: str = DEMO_PASSWORD
    tenant: str = ""
    totp_secret: str = ""
    otpauth_url: str = ""


# Contacts are the companies' public call centres and head offices as published on their sites.
# Requisites (legal name, tax number, bank) are demo values in the right formats (INN with a valid
# check digit, 9-digit STIR, AZ IBAN, 20-digit Russian accounts): not the companies' real ones.
TENANTS = [
    {
        "slug": "azersu",
        "application_prefix": "AZS",
        "name": "Azersu",
        # The name in the reader's language; the others fall back to "name".
        "name_ru": "Азерсу",
        "country_code": "AZ",
        "default_language": "az",
        "timezone": "Asia/Baku",
        "currency": "AZN",
        "workflows": [Workflow.METER_READINGS],
        "brand_colour": "#0067b1",
        "contact_phone": "955",
        "contact_email": "info@azersu.az",
        "address": "AZ1025, Bakı, Xətai rayonu, Yusif Səfərov küçəsi 67",
        "website": "https://www.azersu.az",
        "legal_name": "«Azərsu» Açıq Səhmdar Cəmiyyəti",
        "tax_number": "1700038881",
        "bank_name": "«Kapital Bank» ASC",
        "bank_code": "200026",
        "bank_account": "AZ37AIIB38090019441100000110",
    },
    {
        "slug": "azerishiq",
        "application_prefix": "AZI",
        "name": "Azerishiq",
        "name_ru": "Азеришыг",
        "country_code": "AZ",
        "default_language": "az",
        "timezone": "Asia/Baku",
        "currency": "AZN",
        "workflows": [Workflow.GRID_CONNECTION],
        "brand_colour": "#b35900",
        "contact_phone": "199",
        "contact_email": "info@azerishiq.az",
        "address": "AZ1008, Bakı, Nəsimi rayonu, Ü. Hacıbəyov küçəsi 40",
        "website": "https://www.azerishiq.az",
        "legal_name": "«Azərişıq» Açıq Səhmdar Cəmiyyəti",
        "tax_number": "1402057621",
        "bank_name": "«Kapital Bank» ASC",
        "bank_code": "200026",
        "bank_account": "AZ62AIIB38090019442200000220",
    },
    {
        "slug": "azerigaz",
        "application_prefix": "AZG",
        "name": "Azerigaz",
        "name_ru": "Азеригаз",
        "country_code": "AZ",
        "default_language": "az",
        "timezone": "Asia/Baku",
        "currency": "AZN",
        "workflows": [Workflow.METER_REMOVAL],
        "brand_colour": "#00708a",
        "contact_phone": "104",
        "contact_email": "office@azeriqaz.az",
        "address": "AZ1025, Bakı, Xətai rayonu, Yusif Səfərov küçəsi 23",
        "website": "https://www.azeriqaz.az",
        "legal_name": "«Azəriqaz» İstehsalat Birliyi",
        "tax_number": "9900072241",
        "bank_name": "«Kapital Bank» ASC",
        "bank_code": "200026",
        "bank_account": "AZ15AIIB38090019443300000330",
    },
    {
        "slug": "uzbekenergo",
        "application_prefix": "UZE",
        "name": "Uzbekenergo",
        "name_ru": "Узбекэнерго",
        "name_uz": "Oʻzbekenergo",
        "country_code": "UZ",
        "default_language": "uz",
        "timezone": "Asia/Tashkent",
        "currency": "UZS",
        "workflows": [Workflow.LEGAL_CABINET],
        "brand_colour": "#1f6f3f",
        "contact_phone": "+998 71 233-62-11",
        "contact_email": "info@uzenergy.uz",
        "address": "100000, Toshkent, Istiqlol ko'chasi 6",
        "website": "https://www.uzenergy.uz",
        "legal_name": "«Hududiy elektr tarmoqlari» AJ",
        "tax_number": "207122506",
        "bank_name": "«Oʻzsanoatqurilishbank» ATB",
        "bank_code": "00440",
        "bank_account": "20210000900123456001",
    },
    {
        "slug": "izhvodokanal",
        "application_prefix": "IZV",
        "name": "Izhvodokanal",
        "name_ru": "Ижводоканал",
        "country_code": "RU",
        "default_language": "ru",
        # Izhevsk keeps UTC+4 all year, as Samara does.
        "timezone": "Europe/Samara",
        "currency": "RUB",
        "workflows": [Workflow.CONTRACT_CABINET],
        "brand_colour": "#005b96",
        "contact_phone": "+7 3412 68-06-70",
        "contact_email": "office@izhvodokanal.ru",
        "address": "426063, Удмуртская Республика, Ижевск, ул. Орджоникидзе, 2",
        "website": "https://izhvodokanal.ru",
        "legal_name": "МУП г. Ижевска «Ижводоканал»",
        "tax_number": "1831000650",
        "bank_name": "Удмуртское отделение № 8618 ПАО Сбербанк",
        "bank_code": "049401601",
        "bank_account": "40702810368020101234",
        "correspondent_account": "30101810400000000601",
    },
]

# (code, name, region, short legal deadlines). Baku, Sumgayit and Absheron have the shorter
# deadlines of the gas meter removal rules (5 working days instead of 10).
BRANCHES = {
    "azersu": [
        ("nasimi", "Nəsimi rayon su təchizatı idarəsi", "Bakı", True),
        ("yasamal", "Yasamal rayon su təchizatı idarəsi", "Bakı", True),
        ("khatai", "Xətai rayon su təchizatı idarəsi", "Bakı", True),
        ("sumgayit", "Sumqayıt Su Kanal idarəsi", "Sumqayıt", True),
        ("absheron", "Abşeron rayon su təchizatı idarəsi", "Abşeron", True),
        ("ganja", "Gəncə Su Kanal idarəsi", "Gəncə", False),
    ],
    "azerishiq": [
        ("baku-north", "Bakı Şimal Elektrik Şəbəkəsi", "Bakı", True),
        ("baku-south", "Bakı Cənub Elektrik Şəbəkəsi", "Bakı", True),
        ("sumgayit", "Sumqayıt Elektrik Şəbəkəsi", "Sumqayıt", True),
        ("ganja", "Gəncə Regional Elektrik Şəbəkəsi", "Gəncə", False),
        ("lankaran", "Lənkəran Regional Elektrik Şəbəkəsi", "Lənkəran", False),
    ],
    "azerigaz": [
        ("narimanov", "Nərimanov rayon qaz istismar sahəsi", "Bakı", True),
        ("binagadi", "Binəqədi rayon qaz istismar sahəsi", "Bakı", True),
        ("sumgayit", "Sumqayıt Qaz İstismar İdarəsi", "Sumqayıt", True),
        ("absheron", "Abşeron Qaz İstismar İdarəsi", "Abşeron", True),
        ("ganja", "Gəncə Qaz İstismar İdarəsi", "Gəncə", False),
        ("mingachevir", "Mingəçevir Qaz İstismar İdarəsi", "Mingəçevir", False),
    ],
    "uzbekenergo": [
        ("tashkent-city", "Toshkent shahar elektr tarmoqlari", "Toshkent shahri", False),
        ("tashkent-region", "Toshkent viloyati elektr tarmoqlari", "Toshkent viloyati", False),
        ("samarkand", "Samarqand viloyati elektr tarmoqlari", "Samarqand viloyati", False),
        ("fergana", "Farg'ona viloyati elektr tarmoqlari", "Farg'ona viloyati", False),
        ("bukhara", "Buxoro viloyati elektr tarmoqlari", "Buxoro viloyati", False),
    ],
    "izhvodokanal": [
        ("industrialny", "Индустриальный район", "Ижевск", False),
        ("leninsky", "Ленинский район", "Ижевск", False),
        ("oktyabrsky", "Октябрьский район", "Ижевск", False),
        ("pervomaisky", "Первомайский район", "Ижевск", False),
        ("ustinovsky", "Устиновский район", "Ижевск", False),
    ],
}

# Staff per tenant: (e-mail, full name, role, branch codes it is restricted to; empty = all).
STAFF = {
    "azersu": [
        ("staff@azersu.abonent.local", "Elnur Hüseynov", StaffMembership.Role.REVIEWER, []),
        ("nasimi@azersu.abonent.local", "Günel Quliyeva", StaffMembership.Role.REVIEWER, ["nasimi", "yasamal"]),
    ],
    "azerishiq": [("staff@azerishiq.abonent.local", "Rauf Məmmədov", StaffMembership.Role.REVIEWER, [])],
    "azerigaz": [("staff@azerigaz.abonent.local", "Leyla Əliyeva", StaffMembership.Role.REVIEWER, [])],
    "uzbekenergo": [("staff@uzbekenergo.abonent.local", "Dilshod Karimov", StaffMembership.Role.REVIEWER, [])],
    "izhvodokanal": [("staff@izhvodokanal.abonent.local", "Ольга Петрова", StaffMembership.Role.REVIEWER, [])],
}

# Apps whose models staff review and maintain in the admin.
STAFF_APPS = ["portal", "meters", "applications", "billing", "readings", "cabinet", "connections", "removals"]
# Models only an administrator may change: a reviewer editing memberships could lift his own
# branch restriction; the outbox is written by the system only.
ADMIN_ONLY_CHANGE = {"portal.tenant", "portal.staffmembership"}
NEVER_CHANGED_BY_STAFF = {"portal.notification"}
NEVER_ADDED_OR_DELETED_BY_STAFF = {"portal.tenant", "portal.notification"}


def role_group_name(role):
    return f"Staff: {StaffMembership.Role(role).label}"


def role_permissions(role):
    """The admin permissions of a staff role, computed from the models installed now."""
    permissions = Permission.objects.filter(content_type__app_label__in=STAFF_APPS).select_related("content_type")
    granted = []
    for permission in permissions:
        model = f"{permission.content_type.app_label}.{permission.content_type.model}"
        action = permission.codename.split("_", 1)[0]
        if action == "view":
            granted.append(permission)
        elif action == "change":
            if model in NEVER_CHANGED_BY_STAFF:
                continue
            if model in ADMIN_ONLY_CHANGE and role != StaffMembership.Role.ADMINISTRATOR:
                continue
            granted.append(permission)
        elif action in ("add", "delete"):
            if role == StaffMembership.Role.ADMINISTRATOR and model not in NEVER_ADDED_OR_DELETED_BY_STAFF:
                granted.append(permission)
    granted += list(Permission.objects.filter(content_type__app_label="accounts", codename="view_organization"))
    return granted


def seed_role_groups():
    """One Django group per staff role. Re-run it (seed_demo does) after new models land: the
    permission set is recomputed from the installed models every time."""
    groups = {}
    for role in StaffMembership.Role:
        group, _ = Group.objects.get_or_create(name=role_group_name(role))
        group.permissions.set(role_permissions(role))
        groups[role] = group
    return groups


def seed_tenants():
    tenants = {}
    for data in TENANTS:
        defaults = {key: value for key, value in data.items() if key != "slug"}
        defaults["workflows"] = [str(workflow) for workflow in data["workflows"]]
        tenants[data["slug"]], _ = Tenant.objects.update_or_create(slug=data["slug"], defaults=defaults)
    return tenants


def seed_branches(tenants):
    for slug, rows in BRANCHES.items():
        for code, name, region, short_lab_delivery_term in rows:
            Branch.objects.update_or_create(
                tenant=tenants[slug],
                code=code,
                defaults={"name": name, "region": region, "short_lab_delivery_term": short_lab_delivery_term},
            )


def demo_user(email, full_name, **fields):
    """Creates or updates a demo user; the password is reset only if it is not the demo one."""
    user, _ = get_user_model().objects.update_or_create(
        email=email, defaults={"full_name": full_name, "email_confirmed": True, "is_active": True, **fields}
    )
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def demo_totp_key(email):
    """A 20-byte TOTP key derived from the e-mail, so the printed secret is the same on every run
    and on every machine. Demo only: anyone who reads this code knows it."""
    return hashlib.sha256(f"abonent-demo-totp:{email}".encode()).digest()[:20]


def seed_totp_device(user):
    key = demo_totp_key(user.email)
    device, _ = TOTPDevice.objects.update_or_create(
        user=user, name=TOTP_DEVICE_NAME, defaults={"key": key.hex(), "confirmed": True}
    )
    return base64.b32encode(key).decode(), device.config_url


def seed_superuser():
    user = demo_user("admin@abonent.local", "Abonent Administrator", is_staff=True, is_superuser=True)
    secret, url = seed_totp_device(user)
    return Login("superuser (admin)", user.email, totp_secret=secret, otpauth_url=url)


def seed_staff(tenants, groups):
    logins = []
    for slug, rows in STAFF.items():
        tenant = tenants[slug]
        for email, full_name, role, branch_codes in rows:
            user = demo_user(email, full_name, is_staff=True, preferred_language=tenant.default_language)
            user.groups.add(groups[role])
            membership, _ = StaffMembership.objects.update_or_create(tenant=tenant, user=user, defaults={"role": role})
            membership.branches.set(Branch.objects.for_tenant(tenant).filter(code__in=branch_codes))
            secret, url = seed_totp_device(user)
            label = f"staff, {StaffMembership.Role(role).label.lower()}"
            if branch_codes:
                label += f" ({', '.join(branch_codes)} only)"
            logins.append(Login(label, email, tenant=slug, totp_secret=secret, otpauth_url=url))
    return logins


def seed(stdout=None):
    """Seeds the portal core and returns the logins to print."""
    tenants = seed_tenants()
    seed_branches(tenants)
    groups = seed_role_groups()
    logins = [seed_superuser()]
    logins += seed_staff(tenants, groups)
    if stdout is not None:
        stdout.write(f"portal: {len(tenants)} tenants, {Branch.objects.count()} branches, {len(groups)} staff groups")
    return logins
