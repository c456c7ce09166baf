"""A logo or favicon upload made safe: a PNG is redrawn from its pixels (no metadata,
no hidden payload), an SVG keeps only drawing elements and attributes (no script, no
event handler, no link or reference outside the file, no entity). What comes out is a
new file; nothing of the upload is stored as it came."""

import hashlib
import io
import re
import xml.etree.ElementTree as ET

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 512 * 1024
MAX_PIXELS = 4_000_000
SVG = "http://www.w3.org/2000/svg"
TAGS = {
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text",
    "tspan", "defs", "linearGradient", "radialGradient", "stop", "clipPath", "mask", "title",
    "desc",
}  # fmt: skip
ATTRIBUTES = {
    "viewBox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx",
    "ry", "d", "points", "fill", "fill-rule", "fill-opacity", "stroke", "stroke-width",
    "stroke-linecap", "stroke-linejoin", "stroke-opacity", "opacity", "transform", "id",
    "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform",
    "clip-path", "clip-rule", "mask", "font-family", "font-size", "font-weight",
    "text-anchor", "preserveAspectRatio", "role", "aria-label",
}  # fmt: skip
# A paint or clip may point inside the file only: url(#id). A backslash (a CSS escape,
# as in u\72l(...) for url(...)) has no place in a drawing's attribute.
OUTSIDE = re.compile(r"url\(\s*['\"]?(?!#)|\\", re.I)


def _invalid(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_image")


def sanitised(upload, *, name: str, size: int) -> ContentFile:
    """The upload as a safe PNG (at most `size` pixels a side) or SVG, named
    `<name>-<hash>.<ext>` so a new file gets a new address (browsers cache the old)."""
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _invalid(_("The file is too large (at most 512 KB)."))
    if data.lstrip().startswith((b"<?xml", b"<svg", b"<!--")):
        content, extension = _svg(data), "svg"
    else:
        content, extension = _png(data, size), "png"
    digest = hashlib.sha256(content).hexdigest()[:12]
    return ContentFile(content, name=f"{name}-{digest}.{extension}")


def _png(data: bytes, size: int) -> bytes:
    try:
        image = Image.open(io.BytesIO(data), formats=("PNG",))
        if image.width * image.height > MAX_PIXELS:
            raise _invalid(_("The picture has too many pixels."))
        image = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise _invalid(_("Upload an SVG or a PNG file.")) from None
    image.thumbnail((size, size))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _svg(data: bytes) -> bytes:
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise _invalid(_("The SVG may not declare a document type or entities."))
    try:
        root = ET.fromstring(data)  # noqa: S314 - no DTD, so no entity can expand
    except ET.ParseError:
        raise _invalid(_("Upload an SVG or a PNG file.")) from None
    if _local(root.tag) != "svg":
        raise _invalid(_("Upload an SVG or a PNG file."))
    _clean(root)
    ET.register_namespace("", SVG)
    return ET.tostring(root, encoding="utf-8", xml_declaration=False)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _clean(element: ET.Element) -> None:
    """Drops every child not in TAGS (with its subtree) and every attribute not in
    ATTRIBUTES or pointing outside the file; text stays (it is text, not markup)."""
    element.tag = f"{{{SVG}}}{_local(element.tag)}"
    for key in list(element.attrib):
        value = element.attrib.pop(key)
        if _local(key) in ATTRIBUTES and not OUTSIDE.search(value):
            element.attrib[_local(key)] = value
    for child in list(element):
        if _local(child.tag) in TAGS:
            _clean(child)
        else:
            element.remove(child)
