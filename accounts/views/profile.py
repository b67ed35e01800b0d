"""The profile, password change and two-factor pages of a logged-in user."""

import base64

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.forms import AuthenticatorCodeForm, DisableTwoFactorForm, PersonalDetailsForm, ProfileForm
from accounts.models import PersonalDetails
from accounts.views.helpers import region_of, safe_next
from portal.middleware import LANGUAGE_SESSION_KEY


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user, region=region_of(request))
    if request.method == "POST" and form.is_valid():
        user = form.save()
        request.session[LANGUAGE_SESSION_KEY] = user.preferred_language
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "has_two_factor": _totp_device(request.user)})


@login_required
def personal_details(request):
    """The user's basic data; read-only once a state login has verified them (issue #13)."""
    details = PersonalDetails.objects.filter(user=request.user).first()
    next_url = safe_next(request)
    if details is not None and details.is_verified:
        return render(request, "accounts/personal_details.html", {"details": details, "form": None, "next": next_url})
    instance = details or PersonalDetails(user=request.user)
    form = PersonalDetailsForm(request.POST or None, instance=instance, country_code=region_of(request))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your personal details are saved."))
        return redirect(next_url or "accounts:personal_details")
    return render(request, "accounts/personal_details.html", {"details": details, "form": form, "next": next_url})


password_change = login_required(
    auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change_form.html", success_url=reverse_lazy("accounts:password_change_done")
    )
)
password_change_done = login_required(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)


def _totp_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def _render_backup_codes(request, codes):
    response = render(request, "accounts/two_factor_backup_codes_new.html", {"codes": codes})
    # Shown once: never from a cache or the browser's history.
    response["Cache-Control"] = "no-store"
    return response


@login_required
def two_factor(request):
    device = _totp_device(request.user)
    backup_codes_left = StaticToken.objects.filter(device__user=request.user, device__confirmed=True).count()
    context = {"device": device, "backup_codes_left": backup_codes_left}
    return render(request, "accounts/two_factor.html", context)


@login_required
@never_cache
def two_factor_setup(request):
    if _totp_device(request.user):
        messages.info(request, _("Two-factor authentication is already on."))
        return redirect("accounts:two_factor")
    device = services.start_totp_setup(user=request.user)
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_totp_device(device=device, token=form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error("token", error)
        else:
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return _render_backup_codes(request, codes)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "form": form,
        "qr_svg": segno.make_qr(device.config_url, error="m").svg_inline(scale=4, title=_("QR code for your app")),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@never_cache
def two_factor_backup_codes(request):
    if not _totp_device(request.user):
        return redirect("accounts:two_factor_setup")
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if services.verify_second_factor(user=request.user, token=token, allow_backup_code=False):
            return _render_backup_codes(request, services.replace_backup_codes(user=request.user))
        form.add_error("token", _("The code is not valid or has already been used."))
    return render(request, "accounts/two_factor_backup_codes.html", {"form": form})


@sensitive_post_parameters("password")
@login_required
@never_cache
def two_factor_disable(request):
    if not _totp_device(request.user):
        return redirect("accounts:two_factor")
    if request.user.is_staff:
        messages.error(request, _("Staff accounts must keep two-factor authentication on."))
        return redirect("accounts:two_factor")
    form = DisableTwoFactorForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if services.verify_second_factor(user=request.user, token=token, allow_backup_code=False):
            services.disable_two_factor(user=request.user)
            messages.success(request, _("Two-factor authentication is off."))
            return redirect("accounts:two_factor")
        form.add_error("token", _("The code is not valid or has already been used."))
    return render(request, "accounts/two_factor_disable.html", {"form": form})
