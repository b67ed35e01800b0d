"""Checking and cleaning the photos and PDFs citizens attach to their readings.

An upload is trusted only after every step agrees: the size, the real type read from the first
bytes by libmagic (never the browser's content type), an extension that matches that type, and a
full parse. Images are decoded by Pillow restricted to the expected formats under an explicit
pixel limit and re-encoded without EXIF (which carries the phone's GPS position); HEIC photos from
iPhones are converted to JPEG. PDFs must parse, must not be encrypted and must not carry scripts,
launch actions or embedded files. The stored name is generated here, never taken from the user.
"""

import io
import re
import uuid
from pathlib import PurePath

import magic
import pillow_heif
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
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

# PDF names that run code or carry other files. Names may hide letters as #xx escapes.
FORBIDDEN_PDF_NAMES = frozenset({"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles"})
FORBIDDEN_PDF_NAME_RE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?)(?=[\s/<>\[\]()%{}]|$)")
PDF_NAME_ESCAPE_RE = re.compile(rb"#([0-9A-Fa-f]{2})")
MAX_PDF_OBJECTS = 100_000


def clean_upload(uploaded):
    """Return a ContentFile safe to store (server-generated name), or raise ValidationError."""
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
    if real_type == "application/pdf":
        check_pdf(data)
        return ContentFile(data, name=f"{uuid.uuid4().hex}.pdf")
    content, stored_extension = reencode_image(data, formats)
    return ContentFile(content, name=f"{uuid.uuid4().hex}{stored_extension}")


def unreadable_image():
    return ValidationError(
        _("The photo could not be read. Take it again or attach it as JPG or PNG."), code="bad_image"
    )


def reencode_image(data, formats):
    """Decode the image fully (under the pixel limit) and encode it again without metadata."""
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

    output = io.BytesIO()
    if source_format == "PNG":
        # No pnginfo and no exif argument: text chunks and eXIf are not written.
        upright.save(output, format="PNG", optimize=True)
        return output.getvalue(), ".png"
    if upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    upright.save(output, format="JPEG", quality=90, optimize=True)  # HEIC arrives here too: stored as JPEG
    return output.getvalue(), ".jpg"


def check_pdf(data):
    refused = ValidationError(
        _("This PDF contains scripts, actions or attached files. Attach a plain scan or a photo instead."),
        code="active_pdf",
    )
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
            if node.get("/S") in ("/JavaScript", "/Launch"):
                return True
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return False
