"""The authorization matrix: a group's content is for its members.

Kit (``outsider``) is a signed-in member who is not in Tuesday Makers or Night
Owls. Nothing of those groups' posts, photos, people, "here quietly" list or
reactions reaches Kit — in pages, fragments, the feed, search, notifications,
counts, exports or live events.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing.websocket import WebsocketCommunicator
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from hearth.community import actions
from hearth.community.access import group_channel
from hearth.community.models import Group, Post
from hearth.core.errors import ActionError
from hearth.core.events import capture_events, member_group
from hearth.members import data_rights
from hearth.members.models import Member
from hearth.testing import ClientFor, MakeMember, session_cookie, text, visible_text

SECRET = "my brother's wedding is making me anxious"


@pytest.fixture
def secret_post(member: Member, group: Group) -> Post:
    post = actions.do_create_post(member, group, body=SECRET)
    return post


def content_urls(group: Group, post: Post) -> list[str]:
    return [
        reverse("community:members", args=[group.pk]),
        reverse("community:post", args=[post.pk]),
        reverse("community:post_fragment", args=[post.pk]),
        reverse("community:photo", args=[post.pk]),
        reverse("community:new_post", args=[group.pk]),
        reverse("community:manage", args=[group.pk]),
    ]


def test_outsider_cannot_read_private_group_feed(
    client_for: ClientFor, outsider: Member, group: Group, secret_post: Post, volunteer: Member
) -> None:
    actions.do_mark_here(volunteer, group)
    actions.do_toggle_reaction(volunteer, secret_post, "hug")
    page = client_for(outsider).get(reverse("community:group", args=[group.pk]))
    assert page.status_code == 200  # the about page: name, purpose, scope
    body = visible_text(page)
    assert "Tuesday Makers" in body and group.purpose in body
    assert SECRET not in body
    assert "Here quietly" not in body and "Sam" not in body.split("Joining")[1]  # no here list, no people
    assert "Robin" not in body


@pytest.mark.parametrize("who", ["outsider", None])
def test_outsider_and_anonymous_get_not_found_for_every_content_url(
    client_for: ClientFor,
    request: pytest.FixtureRequest,
    who: str | None,
    group: Group,
    secret_post: Post,
) -> None:
    person = request.getfixturevalue(who) if who else None
    client = client_for(person)
    for url in content_urls(group, secret_post):
        response = client.get(url)
        assert response.status_code in (302, 404), url
        assert SECRET not in text(response)


def test_outsider_cannot_react_comment_pin_or_mark_here(
    client_for: ClientFor, outsider: Member, group: Group, secret_post: Post
) -> None:
    client = client_for(outsider)
    assert client.post(reverse("community:react", args=[secret_post.pk]), {"kind": "hug"}).status_code == 404
    assert client.post(reverse("community:post", args=[secret_post.pk]), {"body": "hi"}).status_code == 404
    assert client.post(reverse("community:pin", args=[secret_post.pk])).status_code == 404
    assert client.post(reverse("community:here", args=[group.pk])).status_code == 404
    assert not secret_post.reactions.exists() and not secret_post.comments.exists()
    with pytest.raises(ActionError):
        actions.do_toggle_reaction(outsider, secret_post, "hug")
    with pytest.raises(ActionError):
        actions.do_comment(outsider, secret_post, "hi")


def test_unlisted_group_is_not_found_and_never_listed_or_searchable(
    client_for: ClientFor, outsider: Member, unlisted: Group
) -> None:
    client = client_for(outsider)
    assert client.get(reverse("community:group", args=[unlisted.pk])).status_code == 404
    assert client.post(reverse("community:join", args=[unlisted.pk])).status_code == 404
    assert client.post(reverse("community:hide", args=[unlisted.pk])).status_code == 404
    for params in ({}, {"q": "Night"}, {"q": "small hours"}, {"tag": "sleep"}, {"policy": "invite"}, {"hidden": "1"}):
        assert "Night Owls" not in text(client.get(reverse("community:directory"), params)), params


def test_unlisted_group_shows_for_its_own_members(client_for: ClientFor, member: Member, unlisted: Group) -> None:
    assert "Night Owls" in visible_text(client_for(member).get(reverse("community:directory")))
    assert client_for(member).get(reverse("community:group", args=[unlisted.pk])).status_code == 200


def test_feed_and_search_never_include_other_groups_posts(
    client_for: ClientFor, outsider: Member, group: Group, secret_post: Post
) -> None:
    assert SECRET not in text(client_for(outsider).get(reverse("community:feed")))
    assert SECRET not in text(client_for(outsider).get(reverse("community:directory"), {"q": "wedding"}))


def test_former_member_loses_access_on_leaving(
    client_for: ClientFor, member: Member, volunteer: Member, group: Group, secret_post: Post
) -> None:
    other = actions.do_create_post(volunteer, group, body="After you left")
    actions.do_leave_group(member, group)
    assert client_for(member).get(reverse("community:post", args=[other.pk])).status_code == 404
    assert "After you left" not in text(client_for(member).get(reverse("community:feed")))


def test_staff_see_the_about_page_of_an_unlisted_group_but_not_its_content(
    client_for: ClientFor, coordinator: Member, unlisted: Group, member: Member
) -> None:
    post = actions.do_create_post(member, unlisted, body=SECRET)
    page = client_for(coordinator).get(reverse("community:group", args=[unlisted.pk]))
    assert page.status_code == 200 and SECRET not in text(page)
    assert client_for(coordinator).get(reverse("community:post", args=[post.pk])).status_code == 404


def test_post_events_go_only_to_the_groups_channel_and_carry_no_content(
    member: Member, group: Group, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with capture_events() as sent, django_capture_on_commit_callbacks(execute=True):
        post = actions.do_create_post(member, group, body=SECRET)
    assert sent.recipients_of("community.post.created") == {group_channel(group.pk)}
    for _groups, event in sent.sent:
        assert SECRET not in json.dumps(event)
    assert sent.events_for(group_channel(group.pk)) == [
        {"kind": "community.post.created", "group": group.pk, "post": post.pk}
    ]


def test_outsider_receives_no_event_or_notification_from_a_group(
    outsider: Member,
    member: Member,
    volunteer: Member,
    group: Group,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with capture_events() as sent, django_capture_on_commit_callbacks(execute=True):
        post = actions.do_create_post(member, group, body=f"@Kit @Sam {SECRET}")
        actions.do_comment(volunteer, post, "@Kit thinking of you")
        actions.do_toggle_reaction(volunteer, post, "hug")
        actions.do_mark_here(volunteer, group)
        actions.do_create_post(volunteer, group, kind="announcement", body="Meet-up Thursday")
    assert sent.events_for(member_group(outsider.pk)) == []
    from hearth.core.models import Notification

    assert not Notification.objects.filter(member=outsider).exists()


def test_export_holds_only_the_members_own_community_data(
    outsider: Member, member: Member, group: Group, secret_post: Post
) -> None:
    exported = json.dumps(data_rights.export_member(outsider))
    assert SECRET not in exported and "Tuesday Makers" not in exported
    assert SECRET in json.dumps(data_rights.export_member(member))


def test_directory_and_about_page_show_no_member_or_post_counts(
    client_for: ClientFor, outsider: Member, volunteer: Member, group: Group, secret_post: Post
) -> None:
    for body in ("one", "two", "three"):
        actions.do_create_post(volunteer, group, body=body)
    for url in (reverse("community:directory"), reverse("community:group", args=[group.pk])):
        page = visible_text(client_for(outsider).get(url))
        for count in ("2 members", "4 posts", "2 people", "4 posts"):
            assert count not in page


# --- Websockets ---------------------------------------------------------------------------------------


def _application() -> Any:
    from channels.auth import AuthMiddlewareStack

    from hearth.routing import websocket_urlpatterns

    return AuthMiddlewareStack(URLRouter(websocket_urlpatterns))


async def _connect(person: Member, path: str) -> tuple[WebsocketCommunicator, bool, int | None]:
    cookie = await database_sync_to_async(session_cookie)(person)
    communicator = WebsocketCommunicator(_application(), path, headers=[(b"cookie", cookie)])
    connected, code = await communicator.connect()
    return communicator, connected, code


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_outsider_socket_for_a_group_is_refused(make_member: MakeMember) -> None:
    from hearth.community.tests.conftest import make_group

    host = await database_sync_to_async(make_member)("Sam", "volunteer")
    outsider = await database_sync_to_async(make_member)("Kit")
    group = await database_sync_to_async(make_group)(host)
    _communicator, connected, code = await _connect(outsider, f"/ws/community/groups/{group.pk}/")
    assert not connected and code == 4403


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_member_socket_gets_the_post_and_outsider_feed_socket_gets_nothing(
    make_member: MakeMember,
) -> None:
    from hearth.community.tests.conftest import make_group

    host = await database_sync_to_async(make_member)("Sam", "volunteer")
    outsider = await database_sync_to_async(make_member)("Kit")
    group = await database_sync_to_async(make_group)(host)
    inside, ok_inside, _ = await _connect(host, f"/ws/community/groups/{group.pk}/")
    outside, ok_outside, _ = await _connect(outsider, "/ws/community/feed/")
    assert ok_inside and ok_outside
    post = await database_sync_to_async(actions.do_create_post)(host, group, body=SECRET)
    event = await inside.receive_json_from(timeout=2)
    assert event == {"kind": "community.post.created", "group": group.pk, "post": post.pk}
    assert await outside.receive_nothing(timeout=0.3)
    await inside.disconnect()
    await outside.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_anonymous_socket_is_refused(db: None = None) -> None:
    communicator = WebsocketCommunicator(_application(), "/ws/community/feed/")
    connected, code = await communicator.connect()
    assert not connected and code == 4401
