"""Checking and cleaning the photos and PDFs citizens attach to their readings.

An upload is trusted only after every step agrees: the size, the real type read from the first
bytes by libmagic (never the browser's content type), an extension that matches that type, and a
full parse. Images are decoded by Pillow restricted to the expected formats under an explicit
pixel limit and re-encoded without EXIF (which carries the phone's GPS position); HEIC photos from
iPhones are converted to JPEG. PDFs must parse, must not be encrypted and must not carry scripts,
actions, links, forms or embedded files. A file that is also another format (HTML in its first
bytes, a ZIP after the PDF's end) is refused. The stored name is generated here, never taken from
the user.

Checking is split in two so a form can do the cheap part first: ``check_upload`` reads the bytes
and the type (and parses a PDF), ``reencode`` decodes an image — the expensive part, done only once
the rest of the form is valid, one photo at a time, under a ``PixelBudget`` shared by the request.
"""

import io
import re
import threading
import uuid
from dataclasses import dataclass
from pathlib import PurePath

import magic
import pillow_heif
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# 50 megapixels admits the 48 MP photos of current phones and refuses decompression bombs
# (a few kilobytes of PNG that would decode to gigabytes of memory).
MAX_IMAGE_PIXELS = 50_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
pillow_heif.register_heif_opener()

# Real type (libmagic) -> (extensions that may carry it, Pillow formats allowed to decode it).
ACCEPTED_TYPES = {
    "image/jpeg": ({".jpg", ".jpeg"}, ["JPEG"]),
    "image/png": ({".png"}, ["PNG"]),
    "image/heic": ({".heic", ".heif"}, ["HEIF"]),
    "image/heif": ({".heic", ".heif"}, ["HEIF"]),
    "application/pdf": ({".pdf"}, None),
}
ACCEPTED_EXTENSIONS = "PDF, JPG, JPEG, PNG, HEIC"

# A request's photos together: two or three full-size phone photos, not twenty (twenty lines of
# 49-megapixel JPEGs took 20 s and 1.3 GB of one worker).
MAX_PIXELS_PER_REQUEST = 150_000_000

# PDF names that run code, act on opening, leave the document or carry other files: scripts,
# automatic and additional actions, launch and link actions, form submission, XFA forms,
# embedded files and rich media. Names may hide letters as #xx escapes.
FORBIDDEN_PDF_NAMES = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/OpenAction",
        "/AA",
        "/Launch",
        "/URI",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/XFA",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/RichMedia",
    }
)
FORBIDDEN_PDF_NAME_RE = re.compile(
    rb"/(?:%s)(?=[\s/<>\[\]()%%{}]|$)" % b"|".join(name[1:].encode() for name in sorted(FORBIDDEN_PDF_NAMES))
)
PDF_NAME_ESCAPE_RE = re.compile(rb"#([0-9A-Fa-f]{2})")
MAX_PDF_OBJECTS = 100_000
# What a browser sniffing the first bytes would take for a web page: a file carrying it is a polyglot.
HTML_MARKERS_RE = re.compile(rb"<(?:html|head|body|script|iframe|svg|object|embed|meta|!doctype)", re.IGNORECASE)
SNIFFED_BYTES = 1024
ZIP_END_OF_DIRECTORY = b"PK\x05\x06"
ZIP_TAIL_BYTES = 65_536 + 22  # where zip readers look for the end of the central directory

# WeasyPrint sets ImageFile.LOAD_TRUNCATED_IMAGES = True for the whole process when it is
# imported; a citizen's photo must decode completely, so the flag is turned off while we load.
_truncation_lock = threading.Lock()


@dataclass
class CheckedUpload:
    """An upload whose size, type and extension agree (and, for a PDF, whose content is checked)."""

    data: bytes
    real_type: str
    formats: list | None

    @property
    def is_pdf(self):
        return self.formats is None


class PixelBudget:
    """The pixels one request may still decode."""

    def __init__(self, limit=MAX_PIXELS_PER_REQUEST):
        self.remaining = limit

    def spend(self, pixels):
        if pixels > self.remaining:
            raise ValidationError(
                _(
                    "The photos of this form are too large together. Attach smaller photos (a few megapixels "
                    "each is enough to read a meter)."
                ),
                code="pixel_budget",
            )
        self.remaining -= pixels


def clean_upload(uploaded, *, budget=None):
    """Return a ContentFile safe to store (server-generated name), or raise ValidationError."""
    return reencode(check_upload(uploaded), budget=budget)


def check_upload(uploaded):
    """The cheap checks (size, real type, extension, no polyglot, PDF content): a CheckedUpload."""
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s MB. Attach a smaller photo or scan."),
            code="too_large",
            params={"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
    uploaded.seek(0)
    data = uploaded.read()
    if len(data) > MAX_UPLOAD_BYTES:  # the declared size may lie
        raise ValidationError(_("The file is larger than %(limit)s MB."), code="too_large", params={"limit": 10})
    real_type = magic.from_buffer(data[:4096], mime=True)
    extension = PurePath(uploaded.name or "").suffix.lower()
    if real_type not in ACCEPTED_TYPES:
        raise ValidationError(
            _("This file is not a photo or a PDF. Accepted formats: %(formats)s."),
            code="bad_type",
            params={"formats": ACCEPTED_EXTENSIONS},
        )
    extensions, formats = ACCEPTED_TYPES[real_type]
    if extension not in extensions:
        raise ValidationError(
            _(
                "The file's name ends in “%(extension)s” but its content is of another type. Accepted formats: "
                "%(formats)s."
            ),
            code="extension_mismatch",
            params={"extension": extension or "—", "formats": ACCEPTED_EXTENSIONS},
        )
    if HTML_MARKERS_RE.search(data[:SNIFFED_BYTES]):
        raise polyglot()
    if real_type == "application/pdf":
        check_pdf(data)
    return CheckedUpload(data=data, real_type=real_type, formats=formats)


def reencode(checked, *, budget=None):
    """The ContentFile to store: a checked PDF as it is, an image decoded and encoded again."""
    if checked.is_pdf:
        return ContentFile(checked.data, name=f"{uuid.uuid4().hex}.pdf")
    content, stored_extension = reencode_image(checked.data, checked.formats, budget=budget)
    return ContentFile(content, name=f"{uuid.uuid4().hex}{stored_extension}")


def polyglot():
    return ValidationError(
        _(
            "This file is also readable as another kind of file (a web page or an archive). Attach a plain scan "
            "or photo."
        ),
        code="polyglot",
    )


def unreadable_image():
    return ValidationError(
        _("The photo could not be read. Take it again or attach it as JPG or PNG."), code="bad_image"
    )


def reencode_image(data, formats, *, budget=None):
    """Decode the image fully (under the pixel limit) and encode it again without metadata."""
    with _truncation_lock:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            source_format, upright = _decode_image(data, formats, budget)
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous

    output = io.BytesIO()
    if source_format == "PNG":
        # No pnginfo and no exif argument: text chunks and eXIf are not written.
        upright.save(output, format="PNG", optimize=True)
        return output.getvalue(), ".png"
    if upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    upright.save(output, format="JPEG", quality=90, optimize=True)  # HEIC arrives here too: stored as JPEG
    return output.getvalue(), ".jpg"


def _decode_image(data, formats, budget):
    try:
        with Image.open(io.BytesIO(data), formats=formats) as image:
            width, height = image.size
            # Checked before load(): the header is all a bomb needs to give itself away.
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _(
                        "The image is too large (%(width)s × %(height)s pixels). Attach a photo of at most "
                        "%(megapixels)s megapixels."
                    ),
                    code="too_many_pixels",
                    params={"width": width, "height": height, "megapixels": MAX_IMAGE_PIXELS // 1_000_000},
                )
            if budget is not None:
                budget.spend(width * height)
            image.load()
            source_format = image.format
            # Apply the camera's orientation before its EXIF goes, or the photo would turn sideways.
            upright = ImageOps.exif_transpose(image)
    except Image.DecompressionBombError:
        raise ValidationError(
            _("The image is too large. Attach a photo of at most %(megapixels)s megapixels."),
            code="too_many_pixels",
            params={"megapixels": MAX_IMAGE_PIXELS // 1_000_000},
        )
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise unreadable_image()
    return source_format, upright


def check_pdf(data):
    refused = ValidationError(
        _("This PDF contains scripts, actions or attached files. Attach a plain scan or a photo instead."),
        code="active_pdf",
    )
    if not data.startswith(b"%PDF-"):  # libmagic accepts a header up to 1 KB in: room for a web page
        raise polyglot()
    end = data.rfind(b"%%EOF")
    if end < 0 or data[end + len(b"%%EOF") :].strip() or ZIP_END_OF_DIRECTORY in data[-ZIP_TAIL_BYTES:]:
        raise polyglot()  # something after the PDF's end, or an archive inside: another file in this one
    unescaped = PDF_NAME_ESCAPE_RE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
    if FORBIDDEN_PDF_NAME_RE.search(unescaped):
        raise refused
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("This PDF is protected with a password. Attach an unprotected copy."), code="encrypted_pdf"
            )
        if len(reader.pages) == 0:
            raise ValidationError(_("This PDF has no pages."), code="empty_pdf")
        # Compressed object streams hide names from the byte scan above: walk the parsed objects too.
        if has_active_content(reader.trailer):
            raise refused
    except ValidationError:
        raise
    except (PdfReadError, Exception):  # pypdf raises many kinds of errors on malformed input
        raise ValidationError(_("The PDF could not be read. Attach it again or send a photo."), code="bad_pdf")


def has_active_content(root):
    seen = set()
    stack = [root]
    while stack:
        if len(seen) > MAX_PDF_OBJECTS:
            return True  # an unreasonably large structure is refused rather than walked forever
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            if FORBIDDEN_PDF_NAMES.intersection(node.keys()):
                return True
            if node.get("/S") in FORBIDDEN_PDF_NAMES or node.get("/Type") == "/EmbeddedFile":
                return True
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return False
