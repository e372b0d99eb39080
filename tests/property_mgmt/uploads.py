"""Uploads as a phone sends them, for the private-file tests: a JPEG carrying a GPS position,
a PNG carrying a name and a phone number in a text chunk."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

GPS_IFD = 0x8825


def jpeg_bytes(size: tuple[int, int] = (800, 600)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (34.0, 33.0, 46.0), 3: "E", 4: (117.0, 44.0, 5.0)})
    buffer = BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def jpeg_with_gps(name: str, size: tuple[int, int] = (800, 600)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(size), content_type="image/jpeg")


def png_with_text(name: str) -> SimpleUploadedFile:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "张三 13800001111")
    buffer = BytesIO()
    Image.new("RGB", (300, 400), (250, 250, 250)).save(buffer, "PNG", pnginfo=info)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
