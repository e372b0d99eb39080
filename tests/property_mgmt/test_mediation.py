"""Mediating a dispute through the pages, as a community worker does: the dispute goes to the
community's mediation group, sessions are recorded, the mediation ends in success, partial
agreement or failure (a failure names where the dispute was referred), and the signed
agreement is kept privately, without an image's metadata, and shown only to whoever may read
the mediation (issue 16 §4, issue 11 §9)."""

from datetime import timedelta
from importlib import import_module
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import AuditAction, AuditLog
from cases.models import CaseState
from property_mgmt.models import Mediation, MediationOutcome, MediationSession, Mediator
from tests.property_mgmt.uploads import jpeg_with_gps, png_with_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def pdf(name: str = "协议书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", "application/pdf")


def report_dispute(client: Client, tree: dict[str, Any], title: str = "楼上漏水纠纷") -> Mediation:
    answer = client.post(
        reverse("property_mgmt:dispute_new"),
        {
            "area": tree["building"].pk,
            "complaint_type": "neighbours",
            "title": title,
            "description": "楼上卫生间漏水，楼下天花板受损，双方协商未果",
        },
    )
    mediation = Mediation.objects.get(case__title=title)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("property_mgmt:mediation_detail", args=[mediation.pk])
    return mediation


def page_of(mediation: Mediation) -> str:
    return reverse("property_mgmt:mediation_detail", args=[mediation.pk])


def add_mediator(client: Client, mediation: Mediation, name: str, role: str = "member") -> Any:
    client.post(
        page_of(mediation),
        {"mediator-name": name, "mediator-role": role, "mediator-organisation": "社区调委会"},
    )
    return Mediator.objects.get(group=mediation.group, name=name)


def add_session(client: Client, mediation: Mediation, mediators: list[Any], **extra: Any) -> Any:
    held = extra.pop("held_at", timezone.localtime() - timedelta(days=1))
    return client.post(
        page_of(mediation),
        {
            "session-held_at": held.strftime("%Y-%m-%dT%H:%M"),
            "session-place": "社区议事厅",
            "session-mediators": [m.pk for m in mediators],
            "session-notes": extra.pop("notes", "双方到场陈述，约定三日内修复防水层"),
        },
        follow=True,
    )


def conclude(client: Client, mediation: Mediation, outcome: str, **fields: Any) -> Any:
    data = {f"conclude-{key}": value for key, value in fields.items()}
    return client.post(page_of(mediation), {"conclude-outcome": outcome, **data}, follow=True)


# --- Sessions ----------------------------------------------------------------------------------


def test_a_dispute_goes_to_the_community_group_and_its_sessions_are_recorded(
    tree: dict[str, Any], worker: Client, cats: Any
) -> None:
    # given a dispute registered on the page, and two mediators of the community's group
    mediation = report_dispute(worker, tree)
    assert mediation.group.community == tree["community"]
    leader = add_mediator(worker, mediation, "王调解", role="leader")
    member = add_mediator(worker, mediation, "李调解")
    # when a session is recorded
    page = add_session(worker, mediation, [leader, member]).content.decode()
    # then the page shows it in the mediation's record, with who mediated
    session = MediationSession.objects.get(mediation=mediation)
    assert set(session.mediators.all()) == {leader, member}
    assert "约定三日内修复防水层" in page and "社区议事厅" in page
    assert "王调解、李调解" in page
    assert AuditLog.objects.filter(
        object_id=str(mediation.case_id), detail__event="mediation.session"
    ).exists()


def test_a_session_in_the_future_or_without_mediators_is_refused(
    tree: dict[str, Any], worker: Client, cats: Any
) -> None:
    mediation = report_dispute(worker, tree)
    mediator = add_mediator(worker, mediation, "王调解")
    later = add_session(worker, mediation, [mediator], held_at=timezone.localtime() + timedelta(1))
    assert "调解时间不能晚于现在。" in later.content.decode()
    nobody = add_session(worker, mediation, [])
    assert nobody.status_code == 200 and "session-mediators" in nobody.content.decode()
    assert not MediationSession.objects.exists()


def test_a_mediator_of_another_community_cannot_be_named(
    tree: dict[str, Any], worker: Client, make_user: Any, cats: Any
) -> None:
    # given a mediator of the other community's group
    mediation = report_dispute(worker, tree)
    other = Client()
    other.force_login(make_user("community_staff", "other_community"))
    elsewhere = report_dispute(
        other, {"building": _building(tree["other_estate"])}, title="乙小区噪音纠纷"
    )
    foreign = add_mediator(other, elsewhere, "外社区调解员")
    # when a session of our mediation names them, it is refused
    add_session(worker, mediation, [foreign])
    assert not MediationSession.objects.filter(mediation=mediation).exists()


def _building(estate: Any) -> Any:
    from governance.models import AreaLevel
    from tests.governance.factories import area

    return area(estate, AreaLevel.BUILDING)


# --- Outcomes ----------------------------------------------------------------------------------


def test_a_successful_mediation_keeps_the_agreement_privately_without_its_exif(
    tree: dict[str, Any], worker: Client, media: dict[str, Path], cats: Any
) -> None:
    # given a dispute mediated once
    mediation = report_dispute(worker, tree)
    add_session(worker, mediation, [add_mediator(worker, mediation, "王调解")])
    # when it ends in success with a photographed agreement carrying the phone's GPS position
    page = conclude(
        worker,
        mediation,
        "success",
        note="双方和解",
        agreement=jpeg_with_gps("协议书.jpg", (600, 800)),
    )
    # then the outcome is shown, the case is handled, and the page links the agreement
    html = page.content.decode()
    mediation.refresh_from_db()
    assert mediation.outcome == MediationOutcome.SUCCESS
    assert "调解成功：双方和解" in html
    assert "调解结果已记录。" in html
    assert mediation.case.state == CaseState.RESOLVED
    link = reverse("property_mgmt:mediation_agreement", args=[mediation.pk])
    assert f'href="{link}"' in html
    # the file sits in private storage only: no public address, nothing under MEDIA_ROOT
    name = mediation.agreement.name or ""
    assert name.endswith(".jpg") and (media["private"] / name).is_file()
    assert not (media["public"] / name).exists()
    assert not media["public"].exists() or not any(media["public"].rglob("*.jpg"))
    with pytest.raises(ValueError):
        mediation.agreement.url  # noqa: B018
    assert worker.get(f"/media/{name}").status_code == 404
    # and the worker downloads it, stripped of its metadata
    answer = worker.get(link)
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in answer["Cache-Control"]
    body = b"".join(answer.streaming_content)  # type: ignore[attr-defined]
    with Image.open(BytesIO(body)) as image:
        assert not image.getexif() and "exif" not in image.info
        assert image.size == (600, 800)
    assert AuditLog.objects.filter(
        action=AuditAction.EXPORT, object_id=str(mediation.pk), detail__file="agreement"
    ).exists()


def test_a_partial_agreement_is_recorded_with_a_png_whose_text_is_dropped(
    tree: dict[str, Any], worker: Client, cats: Any
) -> None:
    mediation = report_dispute(worker, tree)
    add_session(worker, mediation, [add_mediator(worker, mediation, "王调解")])
    page = conclude(
        worker,
        mediation,
        "partial",
        note="赔偿达成，修复时间未定",
        agreement=png_with_text("协议书.png"),
    )
    mediation.refresh_from_db()
    assert mediation.outcome == MediationOutcome.PARTIAL
    assert "部分达成：赔偿达成，修复时间未定" in page.content.decode()
    assert mediation.case.state == CaseState.RESOLVED
    answer = worker.get(reverse("property_mgmt:mediation_agreement", args=[mediation.pk]))
    assert answer["Content-Type"] == "image/png"
    body = b"".join(answer.streaming_content)  # type: ignore[attr-defined]
    assert "张三".encode() not in body and b"13800001111" not in body
    with Image.open(BytesIO(body)) as image:
        assert "Author" not in image.info


def test_a_failed_mediation_must_name_where_it_was_referred(
    tree: dict[str, Any], worker: Client, cats: Any
) -> None:
    # given a dispute mediated once
    mediation = report_dispute(worker, tree)
    mediator = add_mediator(worker, mediation, "王调解")
    add_session(worker, mediation, [mediator])
    state_before = Mediation.objects.get(pk=mediation.pk).case.state
    # when it fails without a referral, or with an agreement, it is refused
    missing = conclude(worker, mediation, "failed", note="双方分歧较大")
    assert "调解失败须选择移交去向。" in missing.content.decode()
    with_file = conclude(worker, mediation, "failed", referral="judicial", agreement=pdf())
    assert "调解失败没有调解协议书。" in with_file.content.decode()
    assert Mediation.objects.get(pk=mediation.pk).outcome == MediationOutcome.PENDING
    # when it fails with a referral to the judicial office
    page = conclude(worker, mediation, "failed", note="双方分歧较大", referral="judicial")
    # then the referral is shown, the case stays with whoever handles it, no agreement exists
    html = page.content.decode()
    mediation.refresh_from_db()
    assert (mediation.outcome, mediation.referral) == (MediationOutcome.FAILED, "judicial")
    assert "调解失败：双方分歧较大" in html and "司法所" in html
    assert mediation.case.state == state_before != CaseState.RESOLVED
    assert not mediation.agreement
    agreement = reverse("property_mgmt:mediation_agreement", args=[mediation.pk])
    assert worker.get(agreement).status_code == 404
    # and the ended mediation takes no more sessions nor a second outcome
    assert "session-notes" not in html
    later = add_session(worker, mediation, [mediator])
    assert "调解已结束，不能再添加调解记录。" in later.content.decode()
    again = conclude(worker, mediation, "success")
    assert "调解已结束（调解失败），请刷新后查看。" in again.content.decode()
    assert MediationSession.objects.filter(mediation=mediation).count() == 1


def test_an_agreement_that_is_not_a_pdf_or_image_is_refused_and_nothing_is_concluded(
    tree: dict[str, Any], worker: Client, media: dict[str, Path], cats: Any
) -> None:
    mediation = report_dispute(worker, tree)
    fake = SimpleUploadedFile("协议书.pdf", b"<html><script>alert(1)</script>", "application/pdf")
    page = conclude(worker, mediation, "success", agreement=fake)
    assert "协议书须为 PDF、PNG 或 JPEG 文件。" in page.content.decode()
    broken = SimpleUploadedFile("协议书.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "image/jpeg")
    page = conclude(worker, mediation, "success", agreement=broken)
    assert "协议书图片无法识别，请重新拍照或扫描。" in page.content.decode()
    mediation.refresh_from_db()
    assert mediation.outcome == MediationOutcome.PENDING and not mediation.agreement
    assert not media["private"].exists() or not any(media["private"].rglob("*.*"))


# --- Who gets the agreement --------------------------------------------------------------------


def test_the_agreement_is_served_only_to_whoever_may_read_the_mediation(
    tree: dict[str, Any], worker: Client, make_user: Any, cats: Any
) -> None:
    # given a mediation of 甲社区 with its agreement
    mediation = report_dispute(worker, tree)
    conclude(worker, mediation, "success", agreement=pdf())
    link = reverse("property_mgmt:mediation_agreement", args=[mediation.pk])

    def client_of(role: str, where: str | None = None) -> Client:
        client = Client()
        client.force_login(make_user(role, where))
        return client

    # the street above it gets the file
    street = client_of("street_staff").get(link)
    assert street.status_code == 200 and street["Content-Type"] == "application/pdf"
    assert b"".join(street.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    # another community and another street: as if it did not exist
    assert client_of("community_staff", "other_community").get(link).status_code == 404
    assert client_of("street_staff", "other_street").get(link).status_code == 404
    assert (
        client_of("community_staff", "other_community").get(page_of(mediation)).status_code == 404
    )
    # property staff do not read residents' disputes; logged out: to the login page
    assert client_of("property_staff").get(link).status_code == 403
    anonymous = Client().get(link)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(
        reverse("accounts:login")
    )


def test_in_production_the_web_server_sends_the_agreement(
    tree: dict[str, Any], worker: Client, settings: Any, cats: Any
) -> None:
    mediation = report_dispute(worker, tree)
    conclude(worker, mediation, "success", agreement=pdf())
    mediation.refresh_from_db()
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_private/"
    answer = worker.get(reverse("property_mgmt:mediation_agreement", args=[mediation.pk]))
    assert answer.status_code == 200 and answer.content == b""
    assert answer["X-Accel-Redirect"] == f"/_private/{mediation.agreement.name}"
    assert answer["Content-Type"] == "application/pdf"


# --- The migration -----------------------------------------------------------------------------


def test_the_migration_moves_existing_agreements_out_of_the_public_media(
    tree: dict[str, Any], worker: Client, media: dict[str, Path], cats: Any
) -> None:
    # given an agreement stored before the change: under MEDIA_ROOT, with its EXIF
    mediation = report_dispute(worker, tree)
    conclude(worker, mediation, "success")
    name = "property/agreements/2026/01/old.jpg"
    source = media["public"] / name
    source.parent.mkdir(parents=True)
    source.write_bytes(jpeg_with_gps("协议书.jpg", (600, 800)).read())
    Mediation.objects.filter(pk=mediation.pk).update(agreement=name, agreement_type="image/jpeg")
    migration = import_module("property_mgmt.migrations.0005_mediation_agreement_private")
    # when the migration runs (twice: a second run finds nothing to move)
    migration.move_to_private(django_apps, None)
    migration.move_to_private(django_apps, None)
    # then the file is private, without its metadata, and still served to the worker
    assert not source.exists()
    with Image.open(media["private"] / name) as image:
        assert not image.getexif()
    answer = worker.get(reverse("property_mgmt:mediation_agreement", args=[mediation.pk]))
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    # and a run stopped after the private copy was made, before the public one went, is
    # finished by the next: the public copy is removed, the private one kept as it is
    kept = (media["private"] / name).read_bytes()
    source.write_bytes(jpeg_with_gps("协议书.jpg", (600, 800)).read())
    migration.move_to_private(django_apps, None)
    assert not source.exists() and (media["private"] / name).read_bytes() == kept
    assert not list((media["private"] / name).parent.glob("*.part"))
