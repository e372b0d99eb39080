"""A phone's photo is taken as the phone writes it: many write a JPEG as a multi-picture file
(MPO), which Pillow reads as its own format."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cases.photos import check_photos


def test_a_multi_picture_jpeg_from_a_phone_is_kept_as_its_first_picture() -> None:
    first, second = Image.new("RGB", (640, 480), (10, 120, 200)), Image.new("RGB", (64, 48))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    buffer = BytesIO()
    first.save(buffer, "MPO", save_all=True, append_images=[second], exif=exif)
    with Image.open(BytesIO(buffer.getvalue())) as sent:
        assert sent.format == "MPO"  # what the server receives

    [photo] = check_photos([SimpleUploadedFile("IMG_0001.jpg", buffer.getvalue(), "image/jpeg")])

    assert photo.content_type == "image/jpeg" and (photo.image.name or "").endswith(".jpg")
    with Image.open(BytesIO(photo.image.read())) as kept:
        assert (kept.format, kept.size) == ("JPEG", (640, 480))
        assert not kept.getexif()
