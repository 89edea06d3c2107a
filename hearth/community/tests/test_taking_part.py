"""Every way of taking part: energy and quiet mode, "I'm here", posts, cards, replies, reactions,
heavy posts, muted words, breaks, the feed, unread markers and mentions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from hearth.community import actions
from hearth.community.models import CommunityProfile, Energy, Group, Membership, Post, Reaction
from hearth.core.errors import ActionError
from hearth.core.events import capture_events, member_group
from hearth.core.models import Notification
from hearth.members import actions as member_actions
from hearth.members.models import Member
from hearth.testing import ClientFor, ClientResponse, text, visible_text


def group_page(client: Client, group: Group, **params: Any) -> ClientResponse:
    return client.get(reverse("community:group", args=[group.pk]), params)


# --- Energy and quiet mode --------------------------------------------------------------------


def test_energy_is_set_in_one_tap_from_any_page(client_for: ClientFor, member: Member) -> None:
    client = client_for(member)
    page = text(client.get(reverse("core:home")))
    assert 'name="level" value="low"' in page  # the header control is on every page
    response = client.post(reverse("community:energy"), {"level": "low", "next": "/groups/"})
    assert response.status_code == 302 and response["Location"] == "/groups/"
    assert CommunityProfile.objects.get(member=member).energy == Energy.LOW
    assert 'value="low" class="energy-option" aria-pressed="true"' in text(client.get(reverse("core:home")))


def test_energy_can_be_cleared(client_for: ClientFor, member: Member) -> None:
    actions.do_set_energy(member, Energy.GOOD)
    client_for(member).post(reverse("community:energy"), {"level": ""})
    assert CommunityProfile.objects.get(member=member).energy == ""


def test_energy_control_refuses_an_unknown_level(client_for: ClientFor, member: Member) -> None:
    client_for(member).post(reverse("community:energy"), {"level": "exhausted"})
    assert not CommunityProfile.objects.filter(member=member, energy="exhausted").exists()


def test_energy_control_ignores_an_offsite_next(client_for: ClientFor, member: Member) -> None:
    response = client_for(member).post(reverse("community:energy"), {"level": "some", "next": "https://evil.example/"})
    assert response["Location"] == reverse("core:home")


def test_quiet_mode_hides_the_posting_prompt_and_keeps_reactions(
    client_for: ClientFor, member: Member, group: Group, volunteer: Member
) -> None:
    actions.do_create_post(volunteer, group, body="Hello makers")
    client = client_for(member)
    assert "Share something" in text(group_page(client, group))
    actions.do_set_energy(member, Energy.LOW)
    page = text(group_page(client, group))
    assert "Share something" not in page and 'name="body"' not in page
    assert "Quiet mode is on" in page
    assert 'name="kind" value="hug"' in page  # reacting stays one tap away
    assert ">Reply<" not in page


def test_quiet_mode_hides_new_markers(client_for: ClientFor, member: Member, group: Group, volunteer: Member) -> None:
    actions.do_create_post(volunteer, group, body="Hello makers")
    Membership.objects.filter(member=member).update(last_read_at=timezone.now() - timedelta(days=1))
    assert "new-marker" in text(client_for(member).get(reverse("community:feed")))
    actions.do_set_energy(member, Energy.LOW)
    assert "new-marker" not in text(client_for(member).get(reverse("community:feed")))


def test_energy_level_is_private_unless_shared(
    client_for: ClientFor, member: Member, outsider: Member, group: Group
) -> None:
    actions.do_set_energy(member, Energy.LOW)
    actions.do_join_group(outsider, group)

    def people() -> str:
        return visible_text(client_for(outsider).get(reverse("community:members", args=[group.pk])))

    assert "Low energy" not in people()
    member_actions.do_set_consent(member, "community.energy", "members")
    assert "Low energy" in people()


def test_energy_shared_with_supporters_is_not_shown_to_members(
    client_for: ClientFor, member: Member, outsider: Member, volunteer: Member, group: Group
) -> None:
    actions.do_set_energy(member, Energy.LOW)
    actions.do_join_group(outsider, group)
    member_actions.do_set_consent(member, "community.energy", "supporters")
    url = reverse("community:members", args=[group.pk])
    assert "Low energy" not in visible_text(client_for(outsider).get(url))
    assert "Low energy" in visible_text(client_for(volunteer).get(url))


# --- "I'm here" ------------------------------------------------------------------------------


def test_im_here_shows_the_member_as_here_quietly_today(
    client_for: ClientFor, member: Member, volunteer: Member, group: Group
) -> None:
    assert "Nobody has said they're here" in visible_text(group_page(client_for(volunteer), group))
    client_for(member).post(reverse("community:here", args=[group.pk]))
    here = visible_text(group_page(client_for(volunteer), group)).split("Here quietly today")[1].split("Posts")[0]
    assert "Robin" in here
    client_for(member).post(reverse("community:here", args=[group.pk]), {"here": "0"})
    assert "Nobody has said they're here" in visible_text(group_page(client_for(volunteer), group))


def test_yesterdays_im_here_has_expired(member: Member, volunteer: Member, client_for: ClientFor, group: Group) -> None:
    actions.do_mark_here(member, group)
    Membership.objects.filter(member=member).update(here_on=timezone.localdate() - timedelta(days=1))
    assert "Nobody has said they're here" in visible_text(group_page(client_for(volunteer), group))


# --- Posts, cards, replies ------------------------------------------------------------------------


def test_member_posts_text_without_javascript(client_for: ClientFor, member: Member, group: Group) -> None:
    response = client_for(member).post(
        reverse("community:new_post", args=[group.pk]), {"kind": "text", "body": "A quiet day, some knitting."}
    )
    post = Post.objects.get(group=group)
    assert response.status_code == 302 and response["Location"].endswith(f"#post-{post.pk}")
    assert "A quiet day, some knitting." in text(group_page(client_for(member), group))


def test_empty_post_is_refused_with_a_message(client_for: ClientFor, member: Member, group: Group) -> None:
    response = client_for(member).post(reverse("community:new_post", args=[group.pk]), {"kind": "text", "body": " "})
    assert response.status_code == 400 and "Write something" in text(response)
    assert not Post.objects.exists()


def test_what_im_into_card(client_for: ClientFor, member: Member, volunteer: Member, group: Group) -> None:
    client_for(member).post(
        reverse("community:new_post", args=[group.pk]),
        {"kind": "card", "card_type": "reading", "card_title": "A Gentleman in Moscow", "body": "Slow and kind."},
    )
    page = visible_text(group_page(client_for(volunteer), group))
    assert "Robin is reading: A Gentleman in Moscow" in page and "Slow and kind." in page


def test_card_without_a_title_is_refused(member: Member, group: Group) -> None:
    import pytest

    with pytest.raises(ActionError, match="give it a title"):
        actions.do_create_post(member, group, kind="card", card_type="reading", card_title="")


def test_replies_show_under_the_post_and_notify_its_author(
    client_for: ClientFor, member: Member, volunteer: Member, post: Post
) -> None:
    client_for(volunteer).post(reverse("community:post", args=[post.pk]), {"body": "Love this!"})
    assert "Love this!" in text(client_for(member).get(reverse("community:post", args=[post.pk])))
    assert Notification.objects.filter(member=member, text="Sam replied to your post in Tuesday Makers").exists()


def test_comments_are_allowed_on_every_kind_of_post(
    client_for: ClientFor, volunteer: Member, member: Member, group: Group
) -> None:
    card = actions.do_create_post(member, group, kind="card", card_type="playing", card_title="Stardew Valley")
    client_for(volunteer).post(reverse("community:post", args=[card.pk]), {"body": "Parsnips!"})
    assert card.comments.count() == 1


# --- Reactions --------------------------------------------------------------------------------


def test_one_tap_reaction_toggles(client_for: ClientFor, volunteer: Member, post: Post) -> None:
    client = client_for(volunteer)
    client.post(reverse("community:react", args=[post.pk]), {"kind": "hug"})
    assert Reaction.objects.filter(post=post, member=volunteer, kind="hug").exists()
    client.post(reverse("community:react", args=[post.pk]), {"kind": "hug"})
    assert not Reaction.objects.filter(post=post).exists()


def test_reaction_with_htmx_returns_the_post_with_the_button_pressed(
    client_for: ClientFor, volunteer: Member, post: Post
) -> None:
    response = client_for(volunteer).post(
        reverse("community:react", args=[post.pk]), {"kind": "me_too"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'value="me_too" class="reaction" aria-pressed="true"' in text(response)
    assert "<html" not in text(response)


def test_only_the_author_sees_who_reacted_and_nobody_sees_counts(
    client_for: ClientFor,
    member: Member,
    volunteer: Member,
    outsider: Member,
    group: Group,
    post: Post,
) -> None:
    actions.do_join_group(outsider, group)
    actions.do_toggle_reaction(volunteer, post, "thinking")
    actions.do_toggle_reaction(outsider, post, "thinking")
    author_view = visible_text(client_for(member).get(reverse("community:post", args=[post.pk])))
    assert "Who reacted (only you see this)" in author_view and "Thinking of you: Sam, Kit" in author_view
    other_view = visible_text(client_for(volunteer).get(reverse("community:post", args=[post.pk])))
    assert "Who reacted" not in other_view and "Kit" not in other_view
    assert "2" not in other_view.split("React to this post:")[1].split("Reply")[0]


def test_reaction_events_go_only_to_the_author_and_the_reactor(
    volunteer: Member, member: Member, post: Post, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with capture_events() as sent, django_capture_on_commit_callbacks(execute=True):
        actions.do_toggle_reaction(volunteer, post, "hug")
    assert sent.recipients_of("community.reaction.changed") == {member_group(member.pk), member_group(volunteer.pk)}
    (event,) = sent.events_for(member_group(member.pk))
    assert event == {"kind": "community.reaction.changed", "post": post.pk}  # no names, no counts


# --- Heavy posts and muted words ---------------------------------------------------------------------


def test_heavy_post_needs_a_content_note(client_for: ClientFor, member: Member, group: Group) -> None:
    response = client_for(member).post(
        reverse("community:new_post", args=[group.pk]), {"kind": "text", "body": "Hard day.", "heavy": "on"}
    )
    assert "content note" in text(response)
    assert not Post.objects.exists()


def test_heavy_post_is_folded_behind_its_note_for_everyone(
    client_for: ClientFor, member: Member, volunteer: Member, group: Group
) -> None:
    actions.do_create_post(
        member, group, body="It's a year since Dad died.", heavy=True, content_note="loss of a parent"
    )
    page = text(group_page(client_for(volunteer), group))
    assert "<summary>Content note: loss of a parent. Open to read</summary>" in page
    assert page.index('<details class="folded heavy">') < page.index("It's a year since Dad died.")


def test_heavy_post_says_it_is_hidden_in_quiet_mode(
    client_for: ClientFor, member: Member, volunteer: Member, group: Group
) -> None:
    actions.do_create_post(member, group, body="Hospital again.", heavy=True, content_note="hospital stay")
    actions.do_set_energy(volunteer, Energy.LOW)
    assert "Hidden while you're in quiet mode. Content note: hospital stay" in text(
        group_page(client_for(volunteer), group)
    )


def test_muted_words_fold_matching_posts(
    client_for: ClientFor, member: Member, volunteer: Member, group: Group
) -> None:
    actions.do_create_post(member, group, body="Thinking about my Hospital appointment tomorrow.")
    actions.do_create_post(member, group, body="A new scarf pattern.")
    actions.do_update_community_settings(volunteer, interests="", muted_words="hospital\n  grief ")
    page = text(group_page(client_for(volunteer), group))
    assert page.count("Hidden by your muted words") == 1
    assert "A new scarf pattern." in page
    assert CommunityProfile.objects.get(member=volunteer).muted_list() == ["hospital", "grief"]


def test_muted_words_match_whole_words_only(member: Member) -> None:
    profile = CommunityProfile(member=member, muted_words="ill")
    assert profile.muted_match("I feel ill today")
    assert not profile.muted_match("Will you come to the group?")


def test_muted_words_are_set_on_the_settings_page(client_for: ClientFor, member: Member) -> None:
    client_for(member).post(
        reverse("community:settings"), {"form": "settings", "interests": "films", "muted_words": "funeral"}
    )
    assert CommunityProfile.objects.get(member=member).muted_words == "funeral"


# --- Take a break ---------------------------------------------------------------------------------


def test_break_pauses_live_notifications_and_hides_them_until_it_ends(
    client_for: ClientFor,
    member: Member,
    volunteer: Member,
    post: Post,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client_for(member).post(reverse("community:settings"), {"form": "break", "days": "3"})
    profile = CommunityProfile.objects.get(member=member)
    assert profile.on_break()
    with capture_events() as sent, django_capture_on_commit_callbacks(execute=True):
        actions.do_comment(volunteer, post, "Lovely!")
    assert sent.events_for(member_group(member.pk)) == []
    page = visible_text(client_for(member).get(reverse("core:notifications")))
    assert "taking a break" in page and "Sam replied" not in page
    client_for(member).post(reverse("community:settings"), {"form": "end_break"})
    assert "Sam replied to your post" in visible_text(client_for(member).get(reverse("core:notifications")))


def test_break_must_end_in_the_future(member: Member) -> None:
    import pytest

    with pytest.raises(ActionError, match="future"):
        actions.do_take_break(member, timezone.now() - timedelta(hours=1))


# --- Feed, pagination, unread, mentions ----------------------------------------------------------------


def test_feed_is_newest_first_across_my_groups_only(
    client_for: ClientFor, member: Member, volunteer: Member, group: Group
) -> None:
    from hearth.community.tests.conftest import make_group

    other = make_group(volunteer, "Co-op Gamers")
    actions.do_create_post(volunteer, group, body="Older makers post")
    actions.do_create_post(volunteer, other, body="Gamers post Robin is not in")
    actions.do_create_post(volunteer, group, body="Newer makers post")
    page = text(client_for(member).get(reverse("community:feed")))
    assert page.index("Newer makers post") < page.index("Older makers post")
    assert "Gamers post" not in page


def test_feed_is_paginated_not_infinite(client_for: ClientFor, member: Member, volunteer: Member, group: Group) -> None:
    for i in range(25):
        Post.objects.create(group=group, author=volunteer, body=f"post number {i:02d}")
    first = text(client_for(member).get(reverse("community:feed")))
    assert "post number 24" in first and "post number 04" not in first
    assert 'href="?page=2"' in first
    second = text(client_for(member).get(reverse("community:feed"), {"page": 2}))
    assert "post number 04" in second and "post number 24" not in second and "Newer" in second


def test_group_page_is_paginated(client_for: ClientFor, member: Member, volunteer: Member, group: Group) -> None:
    for i in range(22):
        Post.objects.create(group=group, author=volunteer, body=f"post number {i:02d}")
    assert "post number 00" not in text(group_page(client_for(member), group))
    assert "post number 00" in text(group_page(client_for(member), group, page=2))


def test_unread_marker_until_the_group_is_opened(
    client_for: ClientFor, member: Member, volunteer: Member, group: Group
) -> None:
    Membership.objects.filter(member=member).update(last_read_at=timezone.now() - timedelta(hours=1))
    actions.do_create_post(volunteer, group, body="Hello makers")
    client = client_for(member)
    assert "New posts" in visible_text(client.get(reverse("community:directory")))
    assert "new-marker" in text(group_page(client, group))  # shown on the visit that reads them...
    assert "New posts" not in visible_text(client.get(reverse("community:directory")))  # ...then read


def test_own_posts_are_never_unread(client_for: ClientFor, member: Member, group: Group) -> None:
    Membership.objects.filter(member=member).update(last_read_at=timezone.now() - timedelta(hours=1))
    actions.do_create_post(member, group, body="My own post")
    assert "new-marker" not in text(client_for(member).get(reverse("community:feed")))


def test_mentions_notify_the_member_named(
    member: Member, volunteer: Member, group: Group, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with capture_events() as sent, django_capture_on_commit_callbacks(execute=True):
        actions.do_create_post(volunteer, group, body="@Robin your scarf pattern is in the library!")
    note = Notification.objects.get(member=member)
    assert note.text == "Sam mentioned you in Tuesday Makers"
    assert sent.events_for(member_group(member.pk))[0]["kind"] == "notification.new"
    assert note.kind == "community.mention"


def test_mentions_of_people_outside_the_group_notify_nobody(outsider: Member, volunteer: Member, group: Group) -> None:
    actions.do_create_post(volunteer, group, body="Has anyone seen @Kit lately?")
    assert not Notification.objects.filter(member=outsider).exists()


def test_notifications_page_lists_and_marks_read(
    client_for: ClientFor, member: Member, volunteer: Member, group: Group
) -> None:
    actions.do_create_post(volunteer, group, body="@Robin hello")
    client = client_for(member)
    assert "Sam mentioned you in Tuesday Makers" in visible_text(client.get(reverse("core:notifications")))
    assert Notification.objects.get(member=member).read_at is not None


def test_leaving_a_group(client_for: ClientFor, member: Member, group: Group) -> None:
    response = client_for(member).post(reverse("community:leave", args=[group.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(group=group, member=member).exists()


def test_feed_merge_and_plain_query_agree(
    member: Member, volunteer: Member, group: Group, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hearth.community import feed
    from hearth.community.tests.conftest import make_group

    other = make_group(volunteer, "Co-op Gamers")
    actions.do_join_group(member, other)
    base = timezone.now()
    for i in range(30):
        Post.objects.create(
            group=group if i % 3 else other, author=volunteer, body=str(i), created_at=base - timedelta(minutes=i)
        )
    Post.objects.filter(body="25").update(hidden=True)  # hidden by a moderator: only its author sees it
    merged = feed.feed_post_ids([group.pk, other.pk], 20, 21, member.pk)
    monkeypatch.setattr(feed, "MAX_GROUPS", 1)
    assert feed.feed_post_ids([group.pk, other.pk], 20, 21, member.pk) == merged
    assert [Post.objects.get(pk=i).body for i in merged] == [str(i) for i in range(20, 30) if i != 25]
    as_author = feed.feed_post_ids([group.pk, other.pk], 20, 21, volunteer.pk)
    assert [Post.objects.get(pk=i).body for i in as_author] == [str(i) for i in range(20, 30)]


def test_home_page_lists_my_groups(client_for: ClientFor, member: Member, group: Group) -> None:
    page = visible_text(client_for(member).get(reverse("core:home")))
    assert "Your groups" in page and "Tuesday Makers" in page
