"""State login pages: the button sends the browser to the provider, the callback logs the person
in (or asks for the password of the account his e-mail or number already belongs to)."""

import dataclasses
import datetime
import logging
import time

from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth import login as auth_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import user_has_device

from accounts.forms import ConfirmLinkForm
from accounts.identity.adapters import LoginRefused, ProviderUnavailable, VerifiedIdentity
from accounts.identity.registry import adapter_for
from accounts.identity.signin import SignInRefused, after_login, link, sign_in
from accounts.models import IdentityProvider, StateLoginDevice
from accounts.views.auth import start_second_step
from accounts.views.helpers import after_login_url, logged_in, safe_next
from portal.scoping import get_scoped_or_404

logger = logging.getLogger(__name__)

NEXT_KEY = "identity_next"
LINK_KEY = "identity_pending_link"
LINK_SECONDS = 5 * 60
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _provider(request, slug):
    if getattr(request, "tenant", None) is None:
        raise Http404
    return get_scoped_or_404(IdentityProvider.objects.filter(is_active=True), request.tenant, slug=slug)


def _callback_url(request, provider):
    return request.build_absolute_uri(reverse("accounts:identity_callback", kwargs={"slug": provider.slug}))


def _back_to_login(request, message):
    messages.error(request, message)
    messages.info(request, _("You can log in with your e-mail address and password."))
    return redirect("accounts:login")


@never_cache
def identity_start(request, slug):
    provider = _provider(request, slug)
    request.session[NEXT_KEY] = safe_next(request) or ""
    try:
        return adapter_for(provider).begin(request, provider, _callback_url(request, provider))
    except ProviderUnavailable as error:
        return _back_to_login(request, str(error))


@never_cache
def identity_callback(request, slug):
    provider = _provider(request, slug)
    try:
        identity = adapter_for(provider).complete(request, provider, _callback_url(request, provider))
        outcome = sign_in(tenant=request.tenant, provider=provider, identity=identity)
    except LoginRefused as error:
        logger.info("state login refused by %s: %s", provider.pk, error.reason)
        return _back_to_login(request, str(error))
    except (ProviderUnavailable, SignInRefused) as error:
        return _back_to_login(request, str(error))
    if outcome.confirm_user is not None:
        request.session[LINK_KEY] = {
            "provider": provider.pk,
            "user": outcome.confirm_user.pk,
            "since": int(time.time()),
            "identity": _as_session(identity),
        }
        return redirect("accounts:identity_link")
    return _log_in(request, provider, identity, outcome.user)


def _log_in(request, provider, identity, user):
    try:
        after_login(tenant=request.tenant, provider=provider, identity=identity, user=user)
    except SignInRefused as error:
        return _back_to_login(request, str(error))
    next_url = request.session.pop(NEXT_KEY, "") or None
    user.backend = BACKEND
    if user.is_staff and not provider.strong_authentication:
        # A state login is one factor: staff still enter their authenticator code.
        if user_has_device(user, confirmed=True):
            start_second_step(request, user, next_url)
            return redirect("accounts:login_verify")
        auth_login(request, user, backend=BACKEND)
        messages.warning(request, _("Staff accounts must use two-factor authentication. Set it up now."))
        return redirect("accounts:two_factor_setup")
    auth_login(request, user, backend=BACKEND)
    if user.is_staff:
        # The provider asserts a strong level (an e-signature): it counts as both factors.
        device, _created = StateLoginDevice.objects.get_or_create(
            user=user, provider=provider, defaults={"name": provider.label, "confirmed": True}
        )
        otp_login(request, device)
    logged_in(request)
    return redirect(after_login_url(request, next_url))


def _as_session(identity):
    data = dataclasses.asdict(identity)
    data.pop("raw_claims")
    data["birth_date"] = identity.birth_date.isoformat() if identity.birth_date else None
    return data


def _from_session(data):
    data = dict(data)
    data["birth_date"] = datetime.date.fromisoformat(data["birth_date"]) if data.get("birth_date") else None
    return VerifiedIdentity(**data)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def identity_link(request):
    """An account already has this e-mail or number: its password proves it is his."""
    pending = request.session.get(LINK_KEY)
    if not pending or time.time() - pending.get("since", 0) > LINK_SECONDS or getattr(request, "tenant", None) is None:
        request.session.pop(LINK_KEY, None)
        return _back_to_login(request, _("Please log in again."))
    provider = get_scoped_or_404(
        IdentityProvider.objects.filter(is_active=True), request.tenant, pk=pending["provider"]
    )
    identity = _from_session(pending["identity"])
    account = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if account is None:
        request.session.pop(LINK_KEY, None)
        return _back_to_login(request, _("Please log in again."))
    form = ConfirmLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Through authenticate(), so django-axes counts wrong passwords as for the login form.
        user = authenticate(request, username=account.email, password=form.cleaned_data["password"])
        if user is not None and user.pk == account.pk:
            try:
                link(tenant=request.tenant, provider=provider, identity=identity, user=user)
            except SignInRefused as error:
                request.session.pop(LINK_KEY, None)
                return _back_to_login(request, str(error))
            request.session.pop(LINK_KEY, None)
            return _log_in(request, provider, identity, user)
        form.add_error("password", _("The password is not correct."))
    context = {"form": form, "provider": provider, "email": _masked(account.email)}
    return render(request, "accounts/identity_link.html", context)


def _masked(email):
    name, _at, domain = email.partition("@")
    return f"{name[:2]}{'•' * max(len(name) - 2, 1)}@{domain}"
