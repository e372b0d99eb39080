"""Photos of a case: checked with Pillow (a real JPEG, PNG or WebP image, at most 10 MB and
40 megapixels), written again without their metadata (EXIF with the phone's GPS position, the
camera, the time; text chunks) and turned upright, with a 320 px JPEG thumbnail. They are
kept in private storage and served by ``cases:photo`` to whoever may see the case."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 4
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
THUMB_SIZE = (320, 320)
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}


@dataclass(frozen=True)
class CheckedPhoto:
    image: ContentFile[bytes]
    thumbnail: ContentFile[bytes]
    content_type: str
    size: int


def check_photos(files: list[UploadedFile]) -> list[CheckedPhoto]:
    """Validate every photo before anything is stored; one bad photo refuses them all."""
    if len(files) > MAX_PHOTOS:
        raise ValidationError({"photos": _("最多上传 %(n)d 张照片。") % {"n": MAX_PHOTOS}})
    return [_check(upload) for upload in files]


def _check(upload: UploadedFile) -> CheckedPhoto:
    name = upload.name or "photo"
    size = upload.size or 0
    if size > MAX_BYTES:
        raise ValidationError({"photos": _("照片“%(name)s”超过 10 MB。") % {"name": name}})
    data = upload.read()
    try:
        with Image.open(BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(BytesIO(data))
        # Many phones write a JPEG as a multi-picture file (MPO): its first picture is kept.
        fmt = "JPEG" if image.format == "MPO" else image.format or ""
        if fmt not in FORMATS:
            raise ValidationError(
                {"photos": _("照片“%(name)s”须为 JPEG、PNG 或 WebP 格式。") % {"name": name}}
            )
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError({"photos": _("照片“%(name)s”像素过大。") % {"name": name}})
        upright = ImageOps.exif_transpose(image)
        clean = BytesIO()
        # Saved with no exif, no text chunks and no XMP: only the pixels (and colour profile).
        upright.save(clean, fmt, quality=90, icc_profile=image.info.get("icc_profile"))
        thumb = upright.convert("RGB")
        thumb.thumbnail(THUMB_SIZE)
        buffer = BytesIO()
        thumb.save(buffer, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            {"photos": _("“%(name)s”不是有效的图片文件。") % {"name": name}}
        ) from exc
    content_type, extension = FORMATS[fmt]
    stem = uuid.uuid4().hex
    stored = clean.getvalue()
    return CheckedPhoto(
        image=ContentFile(stored, name=f"{stem}.{extension}"),
        thumbnail=ContentFile(buffer.getvalue(), name=f"{stem}.jpg"),
        content_type=content_type,
        size=len(stored),
    )
