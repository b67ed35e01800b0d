"""Registration, e-mail confirmation, login (with the two-factor step), logout, password reset."""

import math
import time

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import services
from accounts.forms import (
    ConfirmingSetPasswordForm,
    LoginForm,
    OutboxPasswordResetForm,
    RegistrationForm,
    ResendConfirmationForm,
    TokenForm,
)
from accounts.views.helpers import after_login_url, logged_in, providers_for, region_of, safe_next
from portal.clients import client_ip

# Between the password and the second factor the user is *not* logged in: only these keys say
# who is half-way through, for how long, and where to go afterwards.
PENDING_USER_KEY = "accounts_pending_user"
PENDING_BACKEND_KEY = "accounts_pending_backend"
PENDING_SINCE_KEY = "accounts_pending_since"
PENDING_NEXT_KEY = "accounts_pending_next"
PENDING_SECONDS = 5 * 60


@sensitive_post_parameters("password1", "password2")
@never_cache
def register(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = RegistrationForm(request.POST or None, region=region_of(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.register_user(
            email=data["email"],
            full_name=data["full_name"],
            password=data["password1"],
            phone=data["phone"],
            preferred_language=data["preferred_language"],
            tenant=request.tenant,
            absolute_url=request.build_absolute_uri,
            client_ip=client_ip(request),
        )
        request.session["accounts_registered_email"] = data["email"]
        return redirect("accounts:register_done")
    return render(request, "accounts/register.html", {"form": form})


def register_done(request):
    email = request.session.get("accounts_registered_email", "")
    return render(request, "accounts/register_done.html", {"email": email})


def confirm_email(request, uidb64, token):
    user = services.confirm_email(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "accounts/confirm_email_invalid.html", status=400)
    messages.success(request, _("Your e-mail address is confirmed. You can log in now."))
    return redirect("accounts:login")


@never_cache
def resend_confirmation(request):
    form = ResendConfirmationForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        services.resend_confirmation(
            email=form.cleaned_data["email"],
            tenant=request.tenant,
            absolute_url=request.build_absolute_uri,
            client_ip=client_ip(request),
        )
        request.session["accounts_registered_email"] = form.cleaned_data["email"]
        return redirect("accounts:register_done")
    return render(request, "accounts/resend_confirmation.html", {"form": form})


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    next_url = safe_next(request)
    if request.user.is_authenticated and request.method == "GET":
        return redirect(after_login_url(request, next_url))
    form = LoginForm(request, request.POST or None)
    unconfirmed_email = None
    if request.method == "POST" and form.is_valid():
        user = form.user
        if not user.email_confirmed:
            unconfirmed_email = user.email
        elif user_has_device(user, confirmed=True):
            start_second_step(request, user, next_url)
            return redirect("accounts:login_verify")
        else:
            auth_login(request, user)
            if user.is_staff:
                messages.warning(request, _("Staff accounts must use two-factor authentication. Set it up now."))
                return redirect("accounts:two_factor_setup")
            logged_in(request)
            return redirect(after_login_url(request, next_url))
    context = {
        "form": form,
        "next": next_url or "",
        "unconfirmed_email": unconfirmed_email,
        "identity_providers": providers_for(request),
    }
    return render(request, "accounts/login.html", context)


def start_second_step(request, user, next_url):
    # A fresh session key before anything about the user is stored in it (session fixation).
    request.session.cycle_key()
    request.session[PENDING_USER_KEY] = user.pk
    request.session[PENDING_BACKEND_KEY] = user.backend
    request.session[PENDING_SINCE_KEY] = int(time.time())
    request.session[PENDING_NEXT_KEY] = next_url or ""


def _pending_user(request):
    since = request.session.get(PENDING_SINCE_KEY, 0)
    if time.time() - since > PENDING_SECONDS:
        return None
    return get_user_model().objects.filter(pk=request.session.get(PENDING_USER_KEY), is_active=True).first()


def _clear_second_step(request):
    for key in (PENDING_USER_KEY, PENDING_BACKEND_KEY, PENDING_SINCE_KEY, PENDING_NEXT_KEY):
        request.session.pop(key, None)


@csrf_protect
@never_cache
def login_verify(request):
    user = _pending_user(request)
    if user is None:
        _clear_second_step(request)
        messages.info(request, _("Please log in again."))
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.verify_second_factor(user=user, token=form.cleaned_data["token"])
        if device is not None:
            backend = request.session[PENDING_BACKEND_KEY]
            next_url = request.session.get(PENDING_NEXT_KEY) or None
            _clear_second_step(request)
            auth_login(request, user, backend=backend)
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(request, _("You used a backup code. Backup codes left: %(count)d.") % {"count": left})
            logged_in(request)
            return redirect(after_login_url(request, next_url))
        form.add_error(
            "token",
            _("The code is not valid or has already been used. After several wrong codes, wait a minute."),
        )
    return render(request, "accounts/login_verify.html", {"form": form})


@require_POST
def logout_view(request):
    auth_logout(request)
    messages.success(request, _("You have logged out."))
    return redirect("home")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    # The same page follows whether or not the address has an account.
    success_url = reverse_lazy("accounts:password_reset_done")


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    form_class=ConfirmingSetPasswordForm,
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked (username, IP) pair: a page in the user's language."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else None,
    }
    return render(request, "accounts/locked_out.html", context, status=429)
