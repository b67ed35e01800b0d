"""Photos and PDFs attached to readings: real type, size, pixel limit, no EXIF, no active PDF."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from portal.uploads import clean_upload
from tests.portal.factories import jpeg_bytes


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def refused_message(name, data):
    with pytest.raises(ValidationError) as error:
        clean_upload(upload(name, data))
    with translation.override("en"):
        return " ".join(error.value.messages)


def png_chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def bomb_png(width=30000, height=30000):
    """A valid PNG header declaring 900 megapixels, with a few bytes of data: a decompression bomb."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + png_chunk(b"IEND", b"")
    )


def pdf_bytes(open_action=None):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if open_action:
        action = DictionaryObject({NameObject(key): value for key, value in open_action.items()})
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_jpeg_is_stored_under_a_generated_name():
    cleaned = clean_upload(upload("IMG_0001.JPG", jpeg_bytes()))
    assert cleaned.name.endswith(".jpg") and "IMG" not in cleaned.name
    assert Image.open(io.BytesIO(cleaned.read())).format == "JPEG"


def test_an_executable_renamed_jpg_is_refused():
    elf = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
    pe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"PE\x00\x00" + b"\x00" * 200
    assert "This file is not a photo or a PDF" in refused_message("meter.jpg", elf)
    assert "This file is not a photo or a PDF" in refused_message("meter.jpg", pe)


def test_a_png_named_jpg_is_refused_because_the_extension_disagrees():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "PNG")
    assert "its content is of another type" in refused_message("meter.jpg", buffer.getvalue())


def test_a_decompression_bomb_is_refused_before_decoding():
    data = bomb_png()
    assert len(data) < 2000
    assert "The image is too large" in refused_message("meter.png", data)


def test_an_11_mb_file_is_refused():
    data = jpeg_bytes() + b"\0" * (11 * 1024 * 1024)
    assert "larger than 10 MB" in refused_message("meter.jpg", data)


def test_a_truncated_jpeg_is_refused_as_unreadable():
    assert "could not be read" in refused_message("meter.jpg", jpeg_bytes()[:300])


def test_exif_is_stripped_before_storing():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (40.0, 24.0, 0.0)}  # GPS latitude
    original = jpeg_bytes(exif=exif.tobytes())
    assert Image.open(io.BytesIO(original)).getexif()
    cleaned = clean_upload(upload("meter.jpg", original))
    stored = Image.open(io.BytesIO(cleaned.read()))
    assert not stored.getexif()
    assert "exif" not in stored.info


def test_a_heic_photo_is_converted_to_jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 200, 10)).save(buffer, "HEIF")
    cleaned = clean_upload(upload("IMG_0002.HEIC", buffer.getvalue(), "image/heic"))
    assert cleaned.name.endswith(".jpg")
    assert Image.open(io.BytesIO(cleaned.read())).format == "JPEG"


def test_a_plain_pdf_is_accepted():
    assert clean_upload(upload("scan.pdf", pdf_bytes(), "application/pdf")).name.endswith(".pdf")


def test_a_pdf_with_javascript_is_refused():
    javascript = {"/S": NameObject("/JavaScript"), "/JS": TextStringObject("app.alert('hello');")}
    assert "contains scripts" in refused_message("scan.pdf", pdf_bytes(javascript))


def test_a_pdf_with_a_launch_action_hidden_by_name_escapes_is_refused():
    launch = {"/S": NameObject("/Launch"), "/F": TextStringObject("calc.exe")}
    data = pdf_bytes(launch).replace(b"/Launch", b"/La#75nch")
    assert b"/Launch" not in data
    assert "contains scripts" in refused_message("scan.pdf", data)


def test_an_encrypted_pdf_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "protected with a password" in refused_message("scan.pdf", buffer.getvalue())


@pytest.mark.django_db
def test_the_413_page_is_in_the_users_language(client, user, tenant):
    user.preferred_language = "ru"
    user.save()
    client.force_login(user)
    response = client.generic("POST", "/azersu/readings/form/", data=b"x", CONTENT_LENGTH=str(10**9))
    assert response.status_code == 413
    assert response["Content-Language"] == "ru"
