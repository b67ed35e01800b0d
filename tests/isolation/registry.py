"""How to point every parameterised URL at an object that the requester must not reach.

Each entry gives a *control* probe — the rightful user reaching his own object, which must not
be 404, so the entry provably points at a real object — and *foreign* probes: another user of the
same tenant, the owner through another tenant's address, another tenant's staff. A route with
parameters that has no entry here fails ``test_every_parameterised_url_is_covered``.
"""

from dataclasses import dataclass, field


@dataclass
class Probe:
    user: object  # None = anonymous
    tenant: object  # None = the shared portal root
    kwargs: dict


@dataclass
class Cases:
    control: Probe
    foreign: list = field(default_factory=list)
    method: str = "get"
    data: dict = field(default_factory=dict)
    # Token-protected pages answer a wrong token with a "link invalid" page rather than 404;
    # for them this check tells a refusal from a success.
    refused: object = None


REGISTRY = {}


def covers(*names):
    def decorator(builder):
        for name in names:
            REGISTRY[name] = builder
        return builder

    return decorator


def owned(world, obj_kwargs, tenant="a"):
    """The usual triple: the owner may; an intruder of the same tenant, the owner through
    tenant B's address and tenant B's staff may not."""
    tenant = world.tenant_a if tenant == "a" else tenant
    if tenant is None:
        # Not tenant-owned (organizations): only other people are foreign, at any address.
        return Cases(
            control=Probe(world.owner, None, obj_kwargs),
            foreign=[
                Probe(world.intruder, None, obj_kwargs),
                Probe(world.intruder, world.tenant_b, obj_kwargs),
                Probe(world.staff_b, None, obj_kwargs),
                Probe(None, None, obj_kwargs),
            ],
        )
    return Cases(
        control=Probe(world.owner, tenant, obj_kwargs),
        foreign=[
            Probe(world.intruder, tenant, obj_kwargs),
            Probe(world.owner, world.tenant_b, obj_kwargs),
            Probe(world.staff_b, world.tenant_b, obj_kwargs),
            Probe(None, tenant, obj_kwargs),
        ],
    )


@covers("applications:detail", "readings:submission_done")
def application_pages(world):
    return owned(world, {"number": world.application.number})


@covers("applications:withdraw")
def application_withdraw(world):
    cases = owned(world, {"number": world.application.number})
    cases.method = "post"
    return cases


@covers("billing:invoice_pdf")
def invoice_pdf(world):
    return owned(world, {"number": world.invoice.number})


@covers("billing:invoice_page")
def invoice_page(world):
    return owned(world, {"number": world.invoice.number})


@covers("billing:invoice_pack")
def invoice_pack(world):
    # The company's contract with tenant A makes the month's pack reachable there (a month
    # without invoices answers 200 with "no invoices"): members only, tenant A only.
    return owned(world, {"organization_id": world.contract.organization_id, "period": "2026-10"})


@covers("billing:account_detail")
def account_detail(world):
    return owned(world, {"code": world.account.code})


@covers("readings:submission_photo")
def submission_photo(world):
    return owned(world, {"pk": world.submitted_reading.pk})


@covers("readings:draft_photo")
def draft_photo(world):
    def build():
        from django.core.files.base import ContentFile

        from readings.models import PhotoDraft

        return PhotoDraft.objects.create(
            tenant=world.tenant_a,
            user=world.owner,
            form_key="f" * 32,
            line_index=0,
            file=ContentFile(b"%PDF-1.4 isolation", name="isolation.pdf"),
            original_name="isolation.pdf",
        )

    return owned(world, {"pk": world.cached("photo_draft", build).pk})


@covers("accounts:organization_detail")
def organization_detail(world):
    return owned(world, {"pk": world.organization.pk}, tenant=None)


@covers("accounts:organization_invite")
def organization_invite(world):
    return owned(world, {"pk": world.organization.pk}, tenant=None)


@covers("accounts:organization_member_role", "accounts:organization_member_remove")
def organization_member_actions(world):
    cases = owned(world, {"pk": world.organization.pk, "member_pk": world.owner_membership.pk}, tenant=None)
    cases.method = "post"
    cases.data = {"role": "owner"}
    return cases


@covers("accounts:accept_invitation")
def accept_invitation(world):
    # The token is the capability: a guessed token finds nothing.
    return Cases(
        control=Probe(world.intruder, None, {"token": world.invitation.token}),
        foreign=[Probe(world.intruder, None, {"token": world.invitation.token[:-4] + "0000"})],
    )


def _not_a_success(response):
    return response.status_code != 302 and b'name="new_password1"' not in response.content


@covers("accounts:confirm_email", "accounts:password_reset_confirm")
def token_links(world):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from accounts.tokens import email_confirmation_token

    owner_uid = urlsafe_base64_encode(force_bytes(world.unconfirmed.pk))
    return Cases(
        control=Probe(
            None, None, {"uidb64": owner_uid, "token": email_confirmation_token.make_token(world.unconfirmed)}
        ),
        # Someone else's uid with a token made for another account (or made up) is refused.
        foreign=[
            Probe(None, None, {"uidb64": owner_uid, "token": default_token_generator.make_token(world.intruder)}),
            Probe(world.intruder, None, {"uidb64": owner_uid, "token": "abc-0123456789abcdef"}),
        ],
        refused=_not_a_success,
    )


def _load_area_registries():
    """Areas describe their own routes in tests/isolation/registry_<area>.py."""
    import importlib
    import pkgutil

    import tests.isolation as package

    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith("registry_"):
            importlib.import_module(f"tests.isolation.{module.name}")


_load_area_registries()


@covers("accounts:identity_start", "accounts:identity_callback")
def identity_provider_pages(world):
    # A tenant's state login is its own: another tenant's address does not know the provider.
    from accounts.models import IdentityProvider

    def build():
        # A closed port: the control probe gets "not answering" and the login page, not a 404.
        return IdentityProvider.objects.create(
            tenant=world.tenant_a, slug="egov", label="e-gov", discovery_url="http://127.0.0.1:9", client_id="portal"
        )

    provider = world.cached("identity_provider", build)
    return Cases(
        control=Probe(None, world.tenant_a, {"slug": provider.slug}),
        foreign=[
            Probe(None, world.tenant_b, {"slug": provider.slug}),
            Probe(world.owner, world.tenant_b, {"slug": provider.slug}),
        ],
    )


@covers("applications:answer")
def application_answer(world):
    cases = owned(world, {"number": world.application.number})
    cases.method = "post"
    cases.data = {"answer": "The plan is attached."}
    return cases
