"""A case's photos are private: stored where no URL serves them, shown only to whoever sees the
case (404 to anyone else, and to nobody logged out), and kept without their EXIF metadata, so a
phone's GPS position, camera and time never leave with them (issue 11 §9)."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from cases.models import CaseAttachment

from .factories import report

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def photo_with_gps() -> SimpleUploadedFile:
    image = Image.new("RGB", (800, 600), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotated 90° clockwise
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (34.0, 33.0, 46.0), 3: "E", 4: (117.0, 44.0, 5.0)})
    buffer = BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile("site.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_photo_is_kept_without_its_exif_and_upright(people, tree, cat, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    case = report(people["grid"], tree["estate"], cat, photos=[photo_with_gps()])
    stored = CaseAttachment.objects.get(case=case)
    with stored.image.open("rb") as handle, Image.open(handle) as image:
        assert not image.getexif() and "exif" not in image.info  # no GPS, no camera
        assert image.size == (600, 800)  # turned upright by its orientation, then forgotten
    assert (tmp_path / "private" / stored.image.name).is_file()
    with pytest.raises(ValueError):
        stored.image.url  # noqa: B018 (no public address exists)


def test_a_photo_is_served_to_whoever_sees_the_case_and_to_nobody_else(
    people, tree, cat, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    case = report(people["grid"], tree["estate"], cat, photos=[photo_with_gps()])
    stored = CaseAttachment.objects.get(case=case)
    community = Client()
    community.force_login(people["community"])
    page = community.get(f"/cases/{case.pk}/").content.decode()
    assert f'href="/cases/photos/{stored.pk}/"' in page
    assert f'src="/cases/photos/{stored.pk}/thumb/"' in page
    answer = community.get(f"/cases/photos/{stored.pk}/")
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    assert answer["X-Content-Type-Options"] == "nosniff" and "private" in answer["Cache-Control"]
    with Image.open(BytesIO(answer.getvalue())) as image:
        assert not image.getexif()
    thumb = community.get(f"/cases/photos/{stored.pk}/thumb/")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    # another street's staff: as if the photo did not exist; logged out: to the login page
    other = Client()
    other.force_login(people["other_street"])
    assert other.get(f"/cases/photos/{stored.pk}/").status_code == 404
    assert other.get(f"/cases/photos/{stored.pk}/thumb/").status_code == 404
    assert Client().get(f"/cases/photos/{stored.pk}/").status_code == 302


def test_the_web_server_sends_the_file_when_told_where(people, tree, cat, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_private/"
    case = report(people["grid"], tree["estate"], cat, photos=[photo_with_gps()])
    stored = CaseAttachment.objects.get(case=case)
    client = Client()
    client.force_login(people["community"])
    answer = client.get(f"/cases/photos/{stored.pk}/")
    assert answer.status_code == 200 and answer.content == b""
    assert answer["X-Accel-Redirect"] == f"/_private/{stored.image.name}"


def test_the_api_names_the_scoped_addresses(people, tree, cat, settings, tmp_path, api_for):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    case = report(people["grid"], tree["estate"], cat, photos=[photo_with_gps()])
    stored = CaseAttachment.objects.get(case=case)
    timeline = api_for(people["community"]).get(f"/api/v1/cases/{case.pk}/timeline/").json()
    shown = timeline[0]["attachments"][0]
    assert shown["image"].endswith(f"/cases/photos/{stored.pk}/")
    assert shown["thumbnail"].endswith(f"/cases/photos/{stored.pk}/thumb/")
