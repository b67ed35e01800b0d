"""The W2 form page as one server-side flow: the posted fields are the draft (nothing is stored
before sending), every step validates the parts it needs and shows the others as typed, and the
quote, the distance and the phone's state are computed again on each post.

``ApplyPage`` holds the four parts and what was computed for the template; the views only build
it and render it.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from connections import gis, quotes
from connections.forms import ApplicationDataForm, ContactForm, ObjectDataForm, Step
from connections.services import phones, submission
from portal.forms import carried_idempotency_key

# The parts each step checks and shows errors for; the other parts are used when they happen to
# be valid (the quote box stays on the page while the contact is typed) and shown as typed.
CHECKED = {
    Step.CALCULATE: {"application"},
    Step.LOCATE: {"application", "object"},
    Step.SEND_CODE: {"contact"},
    Step.CONFIRM_CODE: {"contact"},
    Step.SUBMIT: {"application", "object", "contact"},
}


def _shown(form, checked):
    """The bound form when its step checks it or it is valid; else the form as typed, unbound,
    so that it shows no errors for a part the applicant has not reached."""
    if checked or form.is_valid():
        return form
    initial = form.data.dict()
    if "idempotency_key" in form.fields:
        # The posted key goes on only when it is a key (a NUL byte is never written back).
        initial["idempotency_key"] = carried_idempotency_key(initial.get("idempotency_key"))
    unbound = form.__class__(initial=initial, **form.extra_kwargs)
    unbound.extra_kwargs = form.extra_kwargs
    return unbound


def _form(form_class, data, **kwargs):
    form = form_class(data, **kwargs) if data is not None else form_class(**kwargs)
    form.extra_kwargs = kwargs
    return form


class ApplyPage:
    def __init__(self, request, *, data=None, step=Step.SUBMIT, initial_contact=None):
        self.request = request
        self.tenant = request.tenant
        self.user = request.user
        self.step = step if step in Step.ALL else Step.SUBMIT
        checked = CHECKED[self.step] if data is not None else set()
        region = self.tenant.country_code
        self.application = _form(ApplicationDataForm, data)
        self.object = _form(ObjectDataForm, data, tenant=self.tenant)
        self.contact = _form(ContactForm, data, region=region, step=self.step)
        if data is None:
            self.contact = ContactForm(initial=initial_contact or {}, region=region, step=self.step)
            self.contact.extra_kwargs = {"region": region, "step": self.step}
        else:
            self.application = _shown(self.application, "application" in checked)
            self.object = _shown(self.object, "object" in checked)
            self.contact = _shown(self.contact, "contact" in checked)
        self.checked = checked
        self.quote = None
        self.alternatives = []
        self.location = None
        self.located = False
        self.no_centre = False
        self.code_sent_to = ""
        self.phone_confirmed = False
        self.application_registered = None

    # -- what the parts give ----------------------------------------------------------------------

    def _valid(self, form):
        return form.is_bound and form.is_valid()

    def inputs(self):
        data = self.application.cleaned_data
        return submission.quote_inputs(
            applicant_kind=data["applicant_kind"],
            object_kind=data["object_kind"],
            building_has_general_conditions=data["building_has_general_conditions"],
            phase=data["phase"],
            power_kw=data["power_kw"],
            term=data["term"],
        )

    def place(self):
        data = self.object.cleaned_data
        return submission.ObjectData(
            district=data["district"],
            registry_number=data["registry_number"],
            registration_number=data["registration_number"],
        )

    def compute_quote(self):
        if not self._valid(self.application):
            return
        inputs = self.inputs()
        try:
            self.quote = quotes.quote_for(self.tenant, inputs)
        except ValidationError as error:
            if "application" in self.checked:
                self.application.add_error(None, error)
            return
        self.alternatives = quotes.alternatives(self.tenant, inputs)

    def compute_location(self):
        if self.quote is None or not self._valid(self.object):
            return
        try:
            self.location = submission.locate(self.tenant, self.inputs(), self.place())
        except gis.GisLookupError as error:
            if "object" in self.checked:
                field = "registry_number" if isinstance(error, gis.ParcelNotFound) else None
                self.object.add_error(field, error)
            return
        self.located = True
        self.no_centre = self.location is None

    def phone(self):
        return self.contact.cleaned_data.get("phone", "") if self._valid(self.contact) else ""

    def check_phone(self):
        phone = self.phone()
        if phone:
            self.phone_confirmed = phones.confirmed_at(tenant=self.tenant, user=self.user, phone=phone) is not None

    # -- the steps --------------------------------------------------------------------------------

    def run(self):
        """Do the posted step; returns the registered application on a successful send."""
        self.compute_quote()
        self.compute_location()
        self.check_phone()
        if self.step == Step.SEND_CODE and self._valid(self.contact):
            self.send_code()
        elif self.step == Step.CONFIRM_CODE and self._valid(self.contact):
            self.confirm_code()
        elif self.step == Step.SUBMIT:
            return self.submit()
        return None

    def send_code(self):
        from portal.clients import client_ip

        try:
            phones.send_code(
                tenant=self.tenant,
                user=self.user,
                phone=self.phone(),
                language=self.request.LANGUAGE_CODE,
                client_ip=client_ip(self.request),
            )
        except ValidationError as error:
            self.contact.add_error("phone", error)
        else:
            self.code_sent_to = self.phone()

    def confirm_code(self):
        try:
            phones.confirm_code(
                tenant=self.tenant, user=self.user, phone=self.phone(), code=self.contact.cleaned_data["sms_code"]
            )
        except ValidationError as error:
            self.contact.add_error("sms_code", error)
        else:
            self.phone_confirmed = True

    def submit(self):
        valid = all(self._valid(form) for form in (self.application, self.object, self.contact))
        if not valid or self.quote is None or not self.located:
            return None
        if not self.phone_confirmed:
            if not self.contact.cleaned_data.get("sms_code"):
                self.contact.add_error("sms_code", _("Enter the code we sent by SMS, or press “Send code”."))
                return None
            self.confirm_code()
            if not self.phone_confirmed:
                return None
        details = getattr(self.user, "personal_details", None)
        try:
            application, _created = submission.submit_connection_request(
                tenant=self.tenant,
                applicant=self.user,
                details=details,
                inputs=self.inputs(),
                place=self.place(),
                phone=self.phone(),
                email=self.contact.cleaned_data["email"],
                idempotency_key=self.contact.cleaned_data["idempotency_key"],
                language=self.request.LANGUAGE_CODE,
            )
        except ValidationError as error:
            self.contact.add_error(None, error)
            return None
        return application

    # -- the template -----------------------------------------------------------------------------

    @property
    def errors(self):
        """Every error of the page for the summary at the top: (field id or "", label, message)."""
        rows = []
        for form in (self.application, self.object, self.contact):
            if not form.is_bound:
                continue
            for message in form.non_field_errors():
                rows.append(("", "", message))
            for field in form:
                for message in field.errors:
                    rows.append((field.auto_id, field.label, message))
        return rows

    def context(self):
        return {
            "page": self,
            "application_form": self.application,
            "object_form": self.object,
            "contact": self.contact,
            "quote": self.quote,
            "alternatives": self.alternatives,
            "location": self.location,
            "located": self.located,
            "no_centre": self.no_centre,
            "code_sent_to": self.code_sent_to,
            "phone_confirmed": self.phone_confirmed,
            "errors": self.errors,
        }
