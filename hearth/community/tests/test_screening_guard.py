"""The screening guard on a real path (issue 13): an action that stores a member's words without screening them
fails the test suite (and the request, in development); in production the words are kept and the gap is logged."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse
from pytest_django import Settings

from hearth.community import actions
from hearth.community.models import Comment, Post
from hearth.core import screening
from hearth.core.screening import Screening
from hearth.members.models import Member
from hearth.testing import ClientFor

pytestmark = pytest.mark.usefixtures("own_units_of_work")


@pytest.fixture
def forgetful(monkeypatch: pytest.MonkeyPatch) -> None:
    """``do_comment`` as someone might write it, forgetting the screening call (it still says "all fine")."""
    monkeypatch.setattr(actions, "screen", lambda **kwargs: Screening(risk="none", flags=()))


def test_a_reply_stored_without_screening_fails_the_unit_of_work(forgetful: None, member: Member, post: Post) -> None:
    with (
        pytest.raises(
            screening.UnscreenedWrite, match=r"community\.Comment\.body \(id \d+\) was saved at hearth\.community\."
        ),
        screening.watch("a test", strict=True),
    ):
        actions.do_comment(member, post, "I can't see a way through this")


def test_in_development_the_request_that_skipped_screening_fails(
    forgetful: None, settings: Settings, client_for: ClientFor, member: Member, post: Post
) -> None:
    settings.DEBUG = True
    with pytest.raises(screening.UnscreenedWrite, match=r"In POST /\S*posts/\d+/: community\.Comment\.body"):
        client_for(member).post(reverse("community:post", args=[post.pk]), {"body": "I can't see a way through this"})


def test_in_production_the_reply_is_kept_and_the_gap_logged(
    forgetful: None,
    client_for: ClientFor,
    member: Member,
    post: Post,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR, logger="hearth")
    response = client_for(member).post(reverse("community:post", args=[post.pk]), {"body": "A hard week"})
    assert response.status_code == 302
    assert Comment.objects.get(post=post).body == "A hard week"
    assert any(r.getMessage() == "screening.unscreened_write" for r in caplog.records)


def test_the_real_action_screens_and_passes(
    client_for: ClientFor, member: Member, post: Post, settings: Settings
) -> None:
    settings.DEBUG = True
    client_for(member).post(reverse("community:post", args=[post.pk]), {"body": "Lovely colours"})
    assert Comment.objects.get(post=post).body == "Lovely colours"
