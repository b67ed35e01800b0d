"""Downloads of private files and generated documents: always an attachment, never sniffed.

Every download the portal serves (reading photos, application attachments, contracts, invoices,
reports, CSV/XLSX exports) goes through these two functions, so each one carries
``Content-Disposition: attachment`` with a file name the server chose,
``X-Content-Type-Options: nosniff`` (a browser never renders an uploaded file inline as HTML) and
``Cache-Control: private, no-store`` (no cache keeps a copy).
Who may download a file is the calling view's business; these only shape the response.

On S3 (portal.storage) a stored file is streamed from the object store through the web process,
or, with ``PRIVATE_FILES_SIGNED_URLS`` on, the view's answer is a redirect to a URL signed for
``PRIVATE_FILES_URL_SECONDS`` whose response the object store itself marks as an attachment with
our file name; either way only after the calling view's permission check.
"""

from pathlib import PurePath

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils.http import content_disposition_header

from portal.headers import no_store
from portal.storage import signed_url


def filename_part(text):
    """``text`` fit for a download's file name: letters, digits, ``-``, ``_`` and ``.`` are kept,
    anything else (slashes, quotes, spaces) becomes ``-``."""
    return "".join(char if char.isalnum() or char in "-_." else "-" for char in str(text))


def extension_of(file, default=""):
    """The lower-cased extension of a stored file (``.jpg``), or ``default`` when it has none."""
    return PurePath(file.name).suffix.lower() or default


def _private(response, filename):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return no_store(response)


def private_file_response(file, *, filename, content_type=None):
    """Stream a stored file (a model's FieldFile, opened here, or a file already opened in binary
    mode) as an attachment named ``filename``; or redirect to its signed URL (module docstring)."""
    if isinstance(file, FieldFile) and settings.PRIVATE_FILES_SIGNED_URLS:
        url = signed_url(file, filename=filename, content_type=content_type, seconds=settings.PRIVATE_FILES_URL_SECONDS)
        if url:
            return _private(HttpResponseRedirect(url), filename)
    if isinstance(file, FieldFile):
        file = file.open("rb")
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    return _private(response, filename)


def download_response(content, *, filename, content_type):
    """A generated document as an attachment: ``content`` is bytes/str, or an iterator of chunks
    (streamed, for exports of any length)."""
    if isinstance(content, bytes | str):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    return _private(response, filename)
