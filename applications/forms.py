from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_no_links
from portal.uploads import clean_upload


class StatusCheckForm(forms.Form):
    number = forms.CharField(
        label=_("Application number"),
        max_length=32,
        help_text=_("As in the confirmation, e.g. AZS-2026-000123."),
    )
    subscriber_code = forms.CharField(label=_("Subscriber code"), max_length=32)

    def clean_number(self):
        # People copy numbers from e-mails with stray spaces or in lower case.
        return "".join(self.cleaned_data["number"].split()).upper()

    def clean_subscriber_code(self):
        return "".join(self.cleaned_data["subscriber_code"].split())


class ReasonForm(forms.Form):
    """The admin's intermediate page for transitions the applicant must get a reason for."""

    reason = forms.CharField(
        label=_("Reason shown to the applicant"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Written in the e-mail to the applicant and on his application's page."),
    )  # a blank reason is refused: CharField strips spaces and the field is required


class ReplyForm(forms.Form):
    """The admin's intermediate page for a reply to the applicant: a public comment, no status change."""

    reply = forms.CharField(
        label=_("Reply shown to the applicant"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Added to the request's history in the cabinet and sent to the applicant by e-mail."),
    )


class AnswerForm(forms.Form):
    """The applicant's answer to the utility's question (the application waits for him)."""

    answer = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        validators=[validate_no_links],
    )
    document = forms.FileField(
        label=_("Document (optional)"),
        required=False,
        help_text=_("A photo (JPEG, PNG, HEIC) or a PDF, up to 10 MB."),
    )

    def clean_document(self):
        uploaded = self.cleaned_data.get("document")
        if not uploaded:
            return None
        # Checked and re-encoded before it is stored, under a server-made name.
        return clean_upload(uploaded), uploaded.name
