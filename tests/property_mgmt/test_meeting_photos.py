"""Photos of a council meeting (1+3+N 联席会议, 恳谈会, 协调会) are kept privately, without a
phone's metadata, and shown only to whoever sees the meeting (issue 11 §9)."""

from datetime import timedelta
from importlib import import_module
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views.static import serve
from PIL import Image

from accounts.models import AuditAction, AuditLog
from property_mgmt.models import CouncilMeeting, MeetingPhoto
from tests.governance.factories import org
from tests.property_mgmt.uploads import jpeg_bytes, jpeg_with_gps, png_with_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def record_meeting(client: Client, community: Any, photo: SimpleUploadedFile) -> CouncilMeeting:
    """Record a meeting with one photo through the page, as a community worker does."""
    org(community)
    title = f"{community.name}停车难恳谈会"
    answer = client.post(
        reverse("property_mgmt:meeting_new"),
        {
            "community": community.pk,
            "kind": "hearing",
            "title": title,
            "held_at": (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "place": "社区议事厅",
            "photos": photo,
        },
    )
    meeting = CouncilMeeting.objects.get(title=title)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("property_mgmt:meeting_detail", args=[meeting.pk])
    return meeting


def body_of(answer: Any) -> bytes:
    return b"".join(answer.streaming_content)


def links(photo: MeetingPhoto) -> tuple[str, str]:
    return (
        reverse("property_mgmt:meeting_photo", args=[photo.pk]),
        reverse("property_mgmt:meeting_photo_thumb", args=[photo.pk]),
    )


# --- Upload and display ------------------------------------------------------------------------


def test_a_meeting_photo_is_kept_privately_and_shown_without_its_exif(
    tree: dict[str, Any], worker: Client, media: dict[str, Path]
) -> None:
    # given a meeting recorded with a photo carrying the phone's GPS position
    meeting = record_meeting(worker, tree["community"], jpeg_with_gps("会场.jpg", (800, 600)))
    photo = meeting.photos.get()
    full, thumb = links(photo)
    # when the worker opens the meeting page
    page = worker.get(reverse("property_mgmt:meeting_detail", args=[meeting.pk])).content.decode()
    # then the photo is linked and shown through the scoped view, never through /media/
    assert f'href="{full}"' in page and f'src="{thumb}"' in page
    assert "/media/" not in page
    # the files sit in private storage only: no public address, nothing under MEDIA_ROOT
    for file in (photo.image, photo.thumbnail):
        assert (media["private"] / (file.name or "")).is_file()
        with pytest.raises(ValueError):
            file.url  # noqa: B018
        assert worker.get(f"/media/{file.name}").status_code == 404
        # what the development server's /media/ (and a proxy aliased to it) would serve
        with pytest.raises(Http404):
            serve(RequestFactory().get("/"), str(file.name), document_root=str(media["public"]))
    assert not media["public"].exists() or not any(media["public"].rglob("*.*"))
    # and the photo the worker opens has no metadata left, at its size
    answer = worker.get(full)
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Cache-Control"].startswith("private")
    with Image.open(BytesIO(body_of(answer))) as image:
        assert not image.getexif() and "exif" not in image.info
        assert image.size == (800, 600)
    assert AuditLog.objects.filter(
        action=AuditAction.EXPORT, object_id=str(meeting.pk), detail__file="meeting_photo"
    ).exists()
    # the thumbnail too
    small = worker.get(thumb)
    assert small.status_code == 200 and small["Content-Type"] == "image/jpeg"
    with Image.open(BytesIO(body_of(small))) as image:
        assert not image.getexif() and max(image.size) == 320


def test_a_png_photo_loses_its_text_chunks(tree: dict[str, Any], worker: Client) -> None:
    meeting = record_meeting(worker, tree["community"], png_with_text("签到表.png"))
    answer = worker.get(links(meeting.photos.get())[0])
    assert answer["Content-Type"] == "image/png"
    body = body_of(answer)
    assert "张三".encode() not in body and b"13800001111" not in body
    with Image.open(BytesIO(body)) as image:
        assert "Author" not in image.info


# --- Who gets the photo ------------------------------------------------------------------------


def test_the_photo_is_served_only_to_whoever_sees_the_meeting(
    tree: dict[str, Any], worker: Client, make_user: Any
) -> None:
    # given a meeting of 甲社区 with its photo
    meeting = record_meeting(worker, tree["community"], jpeg_with_gps("会场.jpg", (800, 600)))
    full, thumb = links(meeting.photos.get())

    def client_of(role: str, where: str | None = None) -> Client:
        client = Client()
        client.force_login(make_user(role, where))
        return client

    # the street above it gets the photo and its thumbnail
    street = client_of("street_staff")
    assert street.get(full).status_code == 200 and street.get(thumb).status_code == 200
    # another community, another street, a company that did not attend: as if it did not exist
    for outsider in (
        client_of("community_staff", "other_community"),
        client_of("street_staff", "other_street"),
        client_of("property_staff"),
    ):
        assert outsider.get(full).status_code == 404
        assert outsider.get(thumb).status_code == 404
    # only the street's opening of the photo is recorded (not the thumbnail, not the refusals)
    assert AuditLog.objects.filter(detail__file="meeting_photo").count() == 1
    # a photo that does not exist is the same 404
    missing = reverse("property_mgmt:meeting_photo", args=[meeting.photos.get().pk + 1000])
    assert worker.get(missing).status_code == 404
    # logged out: to the login page
    for link in (full, thumb):
        anonymous = Client().get(link)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith(reverse("accounts:login"))


def test_in_production_the_web_server_sends_the_photo(
    tree: dict[str, Any], worker: Client, settings: Any
) -> None:
    meeting = record_meeting(worker, tree["community"], jpeg_with_gps("会场.jpg", (800, 600)))
    photo = meeting.photos.get()
    full, thumb = links(photo)
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_private/"
    answer = worker.get(full)
    assert answer.status_code == 200 and answer.content == b""
    assert answer["X-Accel-Redirect"] == f"/_private/{photo.image.name}"
    assert answer["Content-Type"] == "image/jpeg"
    small = worker.get(thumb)
    assert small.status_code == 200 and small.content == b""
    assert small["X-Accel-Redirect"] == f"/_private/{photo.thumbnail.name}"


# --- The migration -----------------------------------------------------------------------------


def test_the_migration_moves_existing_photos_out_of_the_public_media(
    tree: dict[str, Any], worker: Client, media: dict[str, Path]
) -> None:
    # given a photo and its thumbnail stored before the change: under MEDIA_ROOT, with EXIF
    meeting = record_meeting(worker, tree["community"], jpeg_with_gps("会场.jpg", (800, 600)))
    photo = meeting.photos.get()
    image = "property/meetings/2026/01/old.jpg"
    thumbnail = "property/meetings/thumbs/2026/01/old.jpg"
    for name in (image, thumbnail):
        source = media["public"] / name
        source.parent.mkdir(parents=True)
        source.write_bytes(jpeg_bytes())
    MeetingPhoto.objects.filter(pk=photo.pk).update(
        image=image, thumbnail=thumbnail, content_type="image/jpeg"
    )
    migration = import_module("property_mgmt.migrations.0006_meeting_photos_private")
    # when the migration runs (twice: a second run finds nothing to move)
    migration.move_to_private(django_apps, None)
    migration.move_to_private(django_apps, None)
    # then both files are private, the photo without its metadata, and still served
    assert not (media["public"] / image).exists() and not (media["public"] / thumbnail).exists()
    assert (media["private"] / thumbnail).is_file()
    with Image.open(media["private"] / image) as stored:
        assert not stored.getexif()
    full, thumb = links(photo)
    answer = worker.get(full)
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    with Image.open(BytesIO(body_of(answer))) as served:
        assert not served.getexif() and served.size == (800, 600)
    assert worker.get(thumb).status_code == 200
