"""Chat's part of "download my data" and "delete my account"."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from hearth.chat.access import messages_from
from hearth.chat.models import (
    Block,
    Call,
    Conversation,
    FollowUp,
    GatheringInvitation,
    HandRaise,
    Message,
    PollAnswer,
    Room,
    RoomVisit,
    Rsvp,
    TimePollResponse,
)
from hearth.core.data_rights import Section, register
from hearth.members.models import Member


def _export_messages(member: Member) -> list[dict[str, Any]]:
    rows = Message.objects.filter(sender=member).select_related("room").order_by("created_at", "id")
    return [
        {
            "room": m.room.title,
            "sent_at": m.created_at.isoformat(),
            "text": m.body,
            "edited": m.edited_at is not None,
            "deleted_by_you": m.deleted_at is not None,
            "hidden_by_a_moderator": m.hidden_at is not None,
        }
        for m in rows
    ]


def _export_gatherings(member: Member) -> list[dict[str, Any]]:
    return (
        [
            {
                "gathering": r.gathering.title,
                "starts_at": r.gathering.starts_at.isoformat(),
                "answer": r.get_answer_display(),
                "reminder_minutes_before": r.remind_minutes_before,
                "joining": r.get_joining_display() if r.joining else None,
            }
            for r in Rsvp.objects.filter(member=member).select_related("gathering")
        ]
        + [
            {"gathering": i.gathering.title, "starts_at": i.gathering.starts_at.isoformat(), "invited": True}
            for i in GatheringInvitation.objects.filter(member=member).select_related("gathering")
        ]
        + [
            {
                "when_suits": r.poll.title,
                "times": {
                    timezone.localtime(o.starts_at).isoformat(): dict(PollAnswer.choices).get(
                        r.answers.get(str(o.pk)), ""
                    )
                    for o in r.poll.options.all()
                },
                "journey_minutes": r.travel_minutes,
            }
            for r in TimePollResponse.objects.filter(member=member)
            .select_related("poll")
            .prefetch_related("poll__options")
        ]
    )


def _export_message_settings(member: Member) -> dict[str, Any]:
    return {
        "messages_from_other_members": messages_from(member),
        "people_you_blocked": [
            {"name": b.blocked.display_name, "since": b.created_at.isoformat()}
            for b in Block.objects.filter(blocker=member).select_related("blocked")
        ],
    }


def _erase_chat(member: Member) -> None:
    # One-to-ones are about the member: the whole conversation goes, for both people.
    Room.objects.filter(
        pk__in=Conversation.objects.filter(Q(member=member) | Q(supporter=member)).values("room_id")
    ).delete()
    # In group rooms a placeholder keeps the thread readable for others; the text and the name go.
    Message.objects.filter(sender=member).update(
        body="", word_count=0, sender=None, client_id="", deleted_at=timezone.now()
    )
    FollowUp.objects.filter(member=member).delete()
    RoomVisit.objects.filter(member=member).delete()
    HandRaise.objects.filter(member=member).delete()


register(
    Section(
        "chat_messages",
        _export_messages,
        _erase_chat,
        "Your chat messages are emptied (others see 'message removed' where they were) and your one-to-one "
        "conversations are deleted for both people.",
    )
)
register(
    Section(
        "gathering_answers",
        _export_gatherings,
        lambda member: None,
        "Your answers to gatherings, reminders, invitations, attendance and which times suit you are deleted.",
    )
)
register(
    Section(
        "message_settings",
        _export_message_settings,
        lambda member: None,  # both rows go with the account (blocks either way, the choice)
        "Your choice about messages from other members and the list of people you blocked are deleted.",
    )
)


def _export_calls(member: Member) -> list[dict[str, Any]]:
    calls = Call.objects.filter(Q(conversation__member=member) | Q(conversation__supporter=member)).select_related(
        "conversation__member", "conversation__supporter"
    )
    return [
        {
            "with": (
                c.conversation.supporter if c.conversation.member_id == member.pk else c.conversation.member
            ).display_name,
            "way": c.get_way_display(),
            "at": c.created_at.isoformat(),
            "how_it_went": c.get_outcome_display() if c.outcome else None,
            "minutes": c.minutes,
        }
        for c in calls
    ]


register(
    Section(
        "calls",
        _export_calls,
        lambda member: None,  # calls go with their one-to-one, which is deleted above
        "Your phone and video calls with supporters are deleted with your one-to-ones.",
    )
)
