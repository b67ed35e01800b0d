from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.urls import get_script_prefix
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, OrganizationMembership, PersonalDetails, User
from accounts.phones import normalize_phone, phone_hint
from accounts.services.organizations import tax_number_taken_error
from accounts.services.password_reset import request_password_reset
from accounts.validators import clean_tax_number, tax_number_help, validate_no_links
from portal.clients import client_ip
from portal.forms import DateInput

PHONE_HELP = _("Mobile number for SMS about your applications.")


class PhoneFieldMixin:
    """Normalises the phone to E.164, reading numbers without a country code as numbers of the
    tenant's country."""

    region = None

    def show_phone_examples(self):
        """The hint shows the number as people of the tenant's country write it."""
        self.fields["phone"].help_text = f"{PHONE_HELP} {phone_hint(self.region)}"

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "").strip()
        return normalize_phone(value, self.region) if value else ""


class RegistrationForm(PhoneFieldMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        validators=[validate_no_links],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("We will send a link to this address to confirm it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        required=False,
        max_length=32,
        help_text=PHONE_HELP,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.show_phone_examples()
        self.fields["preferred_language"].initial = get_language()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password2:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password2, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(forms.Form):
    # 254 as the user's e-mail column: a longer one is refused before django-axes stores it (255).
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, request, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = None

    def clean(self):
        cleaned = super().clean()
        email, password = cleaned.get("email"), cleaned.get("password")
        if email and password:
            # Lower-cased so that "A@x" and "a@x" count as one username for django-axes' throttling.
            self.user = authenticate(request=self.request, username=email.strip().lower(), password=password)
            if self.user is None:
                raise forms.ValidationError(_("The e-mail address or the password is wrong."), code="invalid_login")
        return cleaned


class ConfirmLinkForm(forms.Form):
    """The password of the existing account a state login is about to be linked to."""

    password = forms.CharField(
        label=_("Password of your portal account"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        strip=True,
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class AuthenticatorCodeForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        strip=True,
        help_text=_("The 6-digit code your authenticator app shows now."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class DisableTwoFactorForm(AuthenticatorCodeForm):
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    field_order = ["password", "token"]

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is wrong."), code="password_incorrect")
        return password


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form; the account is looked up and the message written to the outbox by a
    task (accounts.services.password_reset), so the page costs the same for any address."""

    def save(self, *, request, **kwargs):
        request_password_reset(
            email=self.cleaned_data["email"],
            tenant=getattr(request, "tenant", None),
            language=get_language(),
            origin=f"{request.scheme}://{request.get_host()}",
            prefix=get_script_prefix(),
            client_ip=client_ip(request),
        )


class ConfirmingSetPasswordForm(SetPasswordForm):
    """Setting a password from a reset link proves the address too."""

    def save(self, commit=True):
        self.user.email_confirmed = True
        return super().save(commit=commit)


class ProfileForm(PhoneFieldMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "preferred_language"]
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }
        help_texts = {"phone": PHONE_HELP}

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.show_phone_examples()
        self.fields["full_name"].validators.append(validate_no_links)
        self.fields["phone"].max_length = 32
        self.fields["preferred_language"].required = True
        self.fields["preferred_language"].choices = settings.LANGUAGES


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["tax_number", "name", "legal_address", "bank_name", "bank_code", "bank_account"]
        help_texts = {"tax_number": _("VÖEN, STIR or INN: 9 to 12 digits.")}

    def __init__(self, *args, country_code=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The name goes into invitations sent to any address.
        self.fields["name"].validators.append(validate_no_links)
        # Registered on a tenant's pages, the tax number follows that country's rule.
        self.country_code = country_code
        self.fields["tax_number"].help_text = tax_number_help(country_code)

    def clean_tax_number(self):
        tax_number = clean_tax_number(self.cleaned_data["tax_number"], self.country_code)
        if Organization.objects.filter(tax_number=tax_number).exists():
            raise tax_number_taken_error()
        return tax_number

    def validate_unique(self):
        # The tax number's uniqueness is checked above with a message that tells what to do.
        pass


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label=_("Role"), choices=OrganizationMembership.Role.choices)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=OrganizationMembership.Role.choices)


class PersonalDetailsForm(forms.ModelForm):
    """The basic data the state services' forms show read-only (W2), typed by the user himself
    until a state login fills them in (issue #13)."""

    class Meta:
        model = PersonalDetails
        fields = [
            "surname",
            "given_name",
            "patronymic",
            "personal_id_number",
            "id_document",
            "birth_date",
            "address",
            "entrepreneur_tax_number",
        ]
        widgets = {"birth_date": DateInput()}
        help_texts = {
            "personal_id_number": _("As in your identity document (FIN in Azerbaijan: 7 characters)."),
            "id_document": _("Series and number, e.g. AZE 12345678."),
            "entrepreneur_tax_number": _("Only if you apply as an entrepreneur."),
        }

    def __init__(self, *args, country_code=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.country_code = country_code or self.instance.country or "AZ"
        self.fields["entrepreneur_tax_number"].help_text = tax_number_help(self.country_code)
        for name in ("surname", "given_name", "patronymic", "address", "id_document"):
            self.fields[name].validators.append(validate_no_links)

    def clean_personal_id_number(self):
        value = "".join(self.cleaned_data.get("personal_id_number", "").split()).upper()
        if value:
            taken = PersonalDetails.objects.filter(country=self.country_code, personal_id_number=value)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                raise forms.ValidationError(
                    _("Another account already has this personal identification number."), code="taken"
                )
        return value

    def clean_entrepreneur_tax_number(self):
        value = self.cleaned_data.get("entrepreneur_tax_number", "")
        return clean_tax_number(value, self.country_code) if value.strip() else ""

    def save(self, commit=True):
        self.instance.country = self.country_code
        return super().save(commit=commit)
