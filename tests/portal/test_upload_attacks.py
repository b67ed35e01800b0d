"""Uploads written as the attack: truncated images, active PDFs, polyglots, pixel floods, file floods."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, ImageFile
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from portal import uploads
from portal.uploads import PixelBudget, check_upload, clean_upload, reencode
from portal.urls_helpers import tenant_reverse
from readings.models import SubmittedReading
from tests.meters.factories import account_with_history
from tests.readings.helpers import form_data, line_data


def refused(name, data, content_type="application/octet-stream"):
    with pytest.raises(ValidationError) as error:
        clean_upload(SimpleUploadedFile(name, data, content_type=content_type))
    with translation.override("en"):
        return " ".join(error.value.messages)


def noisy_jpeg(size=(400, 300)):
    """A JPEG with real scan data (noise does not compress), so that cutting it loses pixels."""
    image = Image.effect_noise(size, 64).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def pdf_with(**catalog):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    for key, value in catalog.items():
        stored = writer._add_object(value) if isinstance(value, DictionaryObject) else value
        writer._root_object[NameObject(f"/{key}")] = stored
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def action(kind, **entries):
    return DictionaryObject(
        {NameObject("/S"): NameObject(kind), **{NameObject(f"/{k}"): TextStringObject(v) for k, v in entries.items()}}
    )


# -- truncated images --------------------------------------------------------------------------


def test_a_truncated_jpeg_is_refused_even_after_weasyprint_allowed_truncated_images():
    import weasyprint  # noqa: F401  (its import sets LOAD_TRUNCATED_IMAGES = True for the process)

    ImageFile.LOAD_TRUNCATED_IMAGES = True
    data = noisy_jpeg()
    assert "could not be read" in refused("meter.jpg", data[: len(data) // 2])
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # WeasyPrint's own setting is left as it was


def test_a_truncated_png_is_refused():
    buffer = io.BytesIO()
    Image.effect_noise((300, 300), 64).save(buffer, "PNG")
    data = buffer.getvalue()
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    try:
        assert "could not be read" in refused("meter.png", data[: len(data) * 2 // 3])
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False


# -- PDFs with active content ------------------------------------------------------------------


@pytest.mark.parametrize(
    "catalog",
    [
        {"OpenAction": action("/GoTo")},
        {"OpenAction": action("/JavaScript", JS="app.alert(1)")},
        {"AA": DictionaryObject({NameObject("/O"): action("/GoTo")})},
        {"OpenAction": action("/Launch", F="calc.exe")},
        {"OpenAction": action("/URI", URI="http://phish.example/")},
        {"OpenAction": action("/SubmitForm", F="http://collect.example/")},
        {"AcroForm": DictionaryObject({NameObject("/XFA"): TextStringObject("<xdp/>")})},
        {"Names": DictionaryObject({NameObject("/EmbeddedFiles"): DictionaryObject()})},
    ],
    ids=["open-action", "javascript", "additional-actions", "launch", "uri", "submit-form", "xfa", "embedded-file"],
)
def test_a_pdf_with_active_content_is_refused(catalog):
    assert "contains scripts" in refused("scan.pdf", pdf_with(**catalog))


def test_a_link_annotation_hidden_in_a_compressed_object_stream_is_refused():
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([]),
            NameObject("/A"): action("/U#52I", URI="http://x.example/"),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "contains scripts" in refused("scan.pdf", buffer.getvalue())


def test_a_plain_pdf_is_still_accepted():
    assert clean_upload(SimpleUploadedFile("scan.pdf", pdf_with())).name.endswith(".pdf")


# -- polyglots ---------------------------------------------------------------------------------


def test_a_pdf_that_is_also_a_web_page_is_refused():
    data = pdf_with().replace(b"%PDF-1.3", b"%PDF-1.3\n%<html><script>alert(1)</script>", 1)
    assert "another kind of file" in refused("scan.pdf", data)


def test_a_web_page_before_the_pdf_header_is_refused():
    data = b"<html><body><script>alert(1)</script></body></html>\n" + pdf_with()
    message = refused("scan.pdf", data)
    assert "another kind of file" in message or "not a photo or a PDF" in message


def test_a_pdf_with_a_zip_appended_is_refused():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("payload.html", "<script>alert(1)</script>")
    assert "another kind of file" in refused("scan.pdf", pdf_with() + archive.getvalue())


def test_a_jpeg_carrying_html_in_its_first_kilobyte_is_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, "JPEG")
    data = buffer.getvalue()
    comment = b"<html><script>alert(1)</script></html>"
    polyglot = data[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + data[2:]
    assert "another kind of file" in refused("meter.jpg", polyglot)


# -- pixel budget ------------------------------------------------------------------------------


def test_the_pixel_budget_refuses_the_photo_that_exceeds_it():
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 1000)).save(buffer, "JPEG")
    checked = check_upload(SimpleUploadedFile("meter.jpg", buffer.getvalue()))
    budget = PixelBudget(limit=2_500_000)
    reencode(checked, budget=budget)
    reencode(checked, budget=budget)
    with pytest.raises(ValidationError) as error:
        reencode(checked, budget=budget)
    assert error.value.code == "pixel_budget"


@pytest.fixture
def readings_form(client, user, tenant, branch):
    user.preferred_language = "en"
    user.save()
    client.force_login(user)
    account = account_with_history(tenant, branch, meters=3)
    client.post(tenant_reverse(tenant, "readings:submit_readings"), {"code": account.code})
    return tenant_reverse(tenant, "readings:submit_readings_form")


def jpeg(size):
    buffer = io.BytesIO()
    Image.new("RGB", size, (90, 90, 90)).save(buffer, "JPEG")
    return SimpleUploadedFile("meter.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.django_db
def test_photos_are_not_decoded_when_another_field_is_invalid(client, readings_form, monkeypatch):
    decoded = []
    monkeypatch.setattr(uploads, "_decode_image", lambda *args: decoded.append(args) or ("JPEG", None))
    data = form_data(line_data(), key="not-a-key")
    data["lines-0-photo"] = jpeg((50, 50))
    response = client.post(readings_form, data)
    assert response.status_code == 200
    assert decoded == []
    assert not SubmittedReading.objects.exists()


@pytest.mark.django_db
def test_photos_beyond_the_request_pixel_budget_are_refused_with_a_message(client, readings_form, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PIXELS_PER_REQUEST", 5_000)
    monkeypatch.setattr(PixelBudget.__init__, "__defaults__", (5_000,))
    lines = [line_data(i, serial=f"SN-{i:04d}", seal=f"PL{i:04d}") for i in range(3)]
    data = form_data(*lines)
    for i in range(3):
        data[f"lines-{i}-photo"] = jpeg((50, 40))  # 2,000 pixels each: the third is over 5,000
    page = client.post(readings_form, data).content.decode()
    assert "too large together" in page
    assert not SubmittedReading.objects.exists()


# -- too many files ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_101_files_in_one_post_get_a_translated_page(client, readings_form):
    data = form_data(line_data())
    for i in range(101):
        data[f"file{i}"] = SimpleUploadedFile(f"f{i}.jpg", b"x", content_type="image/jpeg")
    response = client.post(readings_form, data)
    assert response.status_code == 400
    assert "more than 100 files" in response.content.decode()


@pytest.mark.django_db
def test_the_too_many_files_page_is_in_the_users_language(client, readings_form, user):
    user.preferred_language = "ru"
    user.save()
    client.force_login(user)
    data = {f"file{i}": SimpleUploadedFile(f"f{i}.jpg", b"x") for i in range(101)}
    response = client.post(readings_form, data)
    assert response.status_code == 400
    assert response["Content-Language"] == "ru"
    assert "more than 100 files" not in response.content.decode()
