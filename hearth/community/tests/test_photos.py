"""Photo shares: decoded, re-encoded without metadata, size-checked, and served only to the group."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from pytest_django import Settings

from hearth.community import actions, photos
from hearth.community.models import Group, Post
from hearth.core.errors import ActionError
from hearth.members.models import Member
from hearth.testing import ClientFor, ClientResponse, text

GPS_IFD = 0x8825


def jpeg_with_gps(size: tuple[int, int] = (400, 300)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 90))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:05:01 09:30:00"  # DateTime
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def share(
    client: Client, group: Group, upload: SimpleUploadedFile, description: str = "A half-finished scarf"
) -> ClientResponse:
    return client.post(
        reverse("community:new_post", args=[group.pk]),
        {"kind": "photo", "photo": upload, "photo_description": description, "body": ""},
    )


def test_the_test_photo_really_has_gps_before_upload() -> None:
    assert Image.open(io.BytesIO(jpeg_with_gps())).getexif().get_ifd(GPS_IFD)


def test_jpeg_with_gps_exif_comes_out_with_no_exif(client_for: ClientFor, member: Member, group: Group) -> None:
    response = share(client_for(member), group, SimpleUploadedFile("scarf.jpg", jpeg_with_gps(), "image/jpeg"))
    assert response.status_code == 302
    post = Post.objects.get(group=group)
    with default_storage.open(post.photo, "rb") as handle:
        stored = handle.read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0 and not image.getexif().get_ifd(GPS_IFD)
    assert "exif" not in image.info
    assert b"PhoneMaker" not in stored


def test_members_get_the_photo_through_the_access_checked_view(
    client_for: ClientFor, member: Member, volunteer: Member, outsider: Member, group: Group
) -> None:
    share(client_for(member), group, SimpleUploadedFile("scarf.jpg", jpeg_with_gps(), "image/jpeg"))
    post = Post.objects.get(group=group)
    response = client_for(volunteer).get(reverse("community:photo", args=[post.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert client_for(outsider).get(reverse("community:photo", args=[post.pk])).status_code == 404
    assert client_for(None).get(reverse("community:photo", args=[post.pk])).status_code in (302, 404)
    page = text(client_for(volunteer).get(reverse("community:group", args=[group.pk])))
    assert 'alt="A half-finished scarf"' in page


def test_transparent_png_stays_png_without_metadata(member: Member, group: Group) -> None:
    image = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=None)
    post = actions.do_create_post(
        member, group, kind="photo", photo=SimpleUploadedFile("x.png", out.getvalue()), photo_description="A circle"
    )
    assert post.photo.endswith(".png")


def test_renamed_non_image_is_rejected_with_a_clear_message(
    client_for: ClientFor, member: Member, group: Group
) -> None:
    fake = SimpleUploadedFile("holiday.jpg", b"%PDF-1.7 this is really a document", "image/jpeg")
    response = share(client_for(member), group, fake)
    assert "isn't a picture we can open" in text(response)
    assert not Post.objects.exists()


def test_unsupported_image_format_is_rejected(client_for: ClientFor, member: Member, group: Group) -> None:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="BMP")
    response = share(client_for(member), group, SimpleUploadedFile("pic.jpg", out.getvalue(), "image/jpeg"))
    assert "JPEG, PNG, GIF or WebP" in text(response)
    assert not Post.objects.exists()


def test_decompression_bomb_is_rejected_with_a_clear_message(
    client_for: ClientFor, member: Member, group: Group
) -> None:
    # A tiny file that claims to be 20000 x 20000 pixels (400 megapixels) once decoded.
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, format="PNG")
    assert len(out.getvalue()) < 1_000_000
    response = share(client_for(member), group, SimpleUploadedFile("bomb.png", out.getvalue(), "image/png"))
    assert "too many pixels" in text(response)
    assert not Post.objects.exists()


def test_picture_just_over_our_pixel_limit_is_rejected(member: Member, group: Group, settings: Settings) -> None:
    out = io.BytesIO()
    Image.new("1", (8000, 5001)).save(out, format="PNG")  # 40.008 megapixels
    with pytest.raises(ActionError, match="too many pixels"):
        photos.check_photo(SimpleUploadedFile("big.png", out.getvalue()))


def test_oversize_file_is_rejected_with_a_clear_message(client_for: ClientFor, member: Member, group: Group) -> None:
    big = SimpleUploadedFile("huge.jpg", jpeg_with_gps() + b"\0" * (photos.MAX_BYTES + 1), "image/jpeg")
    response = share(client_for(member), group, big)
    assert "too big (the limit is 8 MB)" in text(response)
    assert not Post.objects.exists()


def test_photo_needs_a_description(client_for: ClientFor, member: Member, group: Group) -> None:
    response = share(
        client_for(member), group, SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg"), description=""
    )
    assert "Describe the photo" in text(response)
    assert not Post.objects.exists()


def test_large_photos_are_scaled_down(member: Member, group: Group) -> None:
    post = actions.do_create_post(
        member,
        group,
        kind="photo",
        photo=SimpleUploadedFile("wide.jpg", jpeg_with_gps((4000, 1000))),
        photo_description="A wide view",
    )
    with default_storage.open(post.photo, "rb") as handle:
        assert Image.open(handle).size == (2048, 512)
