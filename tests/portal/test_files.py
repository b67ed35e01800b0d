"""Every download is an attachment under a name the server chose, and never content-sniffed."""

import io

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from portal.files import download_response, extension_of, filename_part, private_file_response


def test_a_stored_file_is_served_as_a_nosniff_attachment():
    storage = storages["private"]
    name = storage.save("tests/photo.JPG", ContentFile(b"\xff\xd8 not really a jpeg"))
    try:
        field_file = type("Stored", (), {"name": name})()  # what extension_of reads
        with storage.open(name, "rb") as opened:
            response = private_file_response(opened, filename=f"AZS-1-7{extension_of(field_file)}")
            body = b"".join(response.streaming_content)
    finally:
        storage.delete(name)
    assert response["Content-Disposition"] == 'attachment; filename="AZS-1-7.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body == b"\xff\xd8 not really a jpeg"


def test_the_content_type_is_the_one_given_not_guessed_from_the_content():
    response = private_file_response(io.BytesIO(b"<html>"), filename="invoice.pdf", content_type="application/pdf")
    assert response["Content-Type"] == "application/pdf"


def test_a_name_with_quotes_or_non_latin_letters_stays_one_safe_header():
    response = private_file_response(io.BytesIO(b"x"), filename='contract-ИВК"1.pdf')
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert '"1' not in disposition


def test_generated_documents_are_attachments_too_and_iterators_are_streamed():
    csv = download_response("a;b\n", filename="report.csv", content_type="text/csv; charset=utf-8")
    assert csv["Content-Disposition"] == 'attachment; filename="report.csv"'
    assert csv["X-Content-Type-Options"] == "nosniff"
    assert csv.content == b"a;b\n"

    streamed = download_response(iter(["a\n", "b\n"]), filename="archive.csv", content_type="text/csv")
    assert streamed.streaming and b"".join(streamed.streaming_content) == b"a\nb\n"
    assert streamed["X-Content-Type-Options"] == "nosniff"


def test_filename_part_keeps_letters_digits_and_dashes_only():
    assert filename_part("UZ/77 «A»") == "UZ-77--A-"
    assert filename_part("ИВК-1024_2.1") == "ИВК-1024_2.1"


def test_extension_of_a_stored_file_is_lower_case_with_a_default():
    assert extension_of(ContentFile(b"", name="x/abc.PDF")) == ".pdf"
    assert extension_of(ContentFile(b"", name="x/abc"), ".pdf") == ".pdf"
