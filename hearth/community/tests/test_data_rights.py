"""Download my data and delete my account, for the community's part."""

from __future__ import annotations

import io

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pytest_django import DjangoCaptureOnCommitCallbacks

from hearth.community import actions
from hearth.community.models import (
    Comment,
    CommunityProfile,
    Group,
    GroupState,
    Membership,
    Post,
    Reaction,
)
from hearth.core.models import Notification
from hearth.members import data_rights
from hearth.members.models import Member
from hearth.testing import ClientFor

ROBINS_WORDS = ["Robin's secret scarf", "Robin's lonely evening", "Robin's reply", "Robin's card", "Robin's photo"]


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (1, 2, 3)).save(out, format="JPEG")
    return out.getvalue()


def test_export_includes_every_kind_of_community_data(member: Member, volunteer: Member, group: Group) -> None:
    actions.do_set_energy(member, "low")
    actions.do_update_community_settings(member, interests="crafts", muted_words="hospital")
    post = actions.do_create_post(member, group, body="Robin's secret scarf", heavy=True, content_note="grief")
    actions.do_comment(member, post, "Robin's reply")
    actions.do_toggle_reaction(member, post, "hug")
    actions.do_mark_here(member, group)
    exported = data_rights.export_member(member)["community"]
    assert exported["energy_level"] == "low"
    assert exported["muted_words"] == ["hospital"]
    assert exported["interests"] == "crafts"
    assert exported["posts"][0]["text"] == "Robin's secret scarf" and exported["posts"][0]["content_note"] == "grief"
    assert exported["comments"][0]["text"] == "Robin's reply"
    assert exported["reactions"][0]["reaction"] == "Hug"
    assert exported["groups"][0]["group"] == "Tuesday Makers"


def test_deletion_page_says_what_happens_to_community_data(client_for: ClientFor, member: Member) -> None:
    from django.urls import reverse

    from hearth.testing import visible_text

    page = visible_text(client_for(member).get(reverse("members:delete")))
    assert "Your posts, photos, comments, reactions" in page and "empty placeholder" in page


def test_erasure_leaves_no_personal_text_and_keeps_others_replies(
    member: Member, volunteer: Member, group: Group, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    replied = actions.do_create_post(
        member, group, body="Robin's lonely evening", heavy=True, content_note="loneliness"
    )
    alone = actions.do_create_post(member, group, kind="card", card_type="making", card_title="Robin's card")
    photo = actions.do_create_post(
        member, group, kind="photo", photo=SimpleUploadedFile("p.jpg", _jpeg()), photo_description="Robin's photo"
    )
    photo_name = Post.objects.get(pk=photo.pk).photo
    actions.do_comment(volunteer, replied, "Sam's kind reply")
    other = actions.do_create_post(volunteer, group, body="Sam's post")
    actions.do_comment(member, other, "Robin's reply")
    actions.do_toggle_reaction(member, other, "hug")
    actions.do_toggle_reaction(volunteer, replied, "hug")
    actions.do_set_energy(member, "low")
    actions.do_propose_group(member, name="Robin's pending idea", purpose="x", who_for="y")
    actions.do_comment(member, other, "@Sam Robin's reply")  # notifies Sam, naming Robin
    assert Notification.objects.filter(member=volunteer, text__contains="Robin").exists()

    with django_capture_on_commit_callbacks(execute=True):
        data_rights.erase_member(member)

    assert not Member.objects.filter(display_name="Robin").exists()
    placeholder = Post.objects.get(pk=replied.pk)
    assert placeholder.removed and placeholder.author is None
    assert (placeholder.body, placeholder.content_note, placeholder.photo_description) == ("", "", "")
    assert not Reaction.objects.filter(post=placeholder).exists()
    assert Comment.objects.filter(post=placeholder, body="Sam's kind reply").exists()  # others' replies stay
    assert not Post.objects.filter(pk__in=[alone.pk, photo.pk]).exists()
    assert not CommunityProfile.objects.filter(member_id=member.pk).exists()
    assert not Membership.objects.filter(member_id=member.pk).exists()
    assert not Group.objects.filter(name="Robin's pending idea").exists()
    assert Group.objects.get(pk=group.pk).state == GroupState.ACTIVE
    # No personal text anywhere the community keeps text.
    texts = [
        *Post.objects.values_list("body", "card_title", "content_note", "photo_description"),
        *Comment.objects.values_list("body"),
        *Notification.objects.values_list("text"),
        *Group.objects.values_list("name", "purpose"),
    ]
    flat = " ".join(value for row in texts for value in row)
    assert "Robin" not in flat
    assert not default_storage.exists(photo_name)
