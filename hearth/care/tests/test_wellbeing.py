"""Imported wellbeing signals: file upload and a personal token the member can revoke (stored hashed)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from hearth.care import actions, wellbeing
from hearth.care.models import Source, WellbeingReading, WellbeingToken
from hearth.core.errors import ActionError
from hearth.members.models import Member
from hearth.testing import ClientFor

CSV = "date,stress,sleep,steps\n2026-11-20,42,78,9000\n2026-11-21,55,,4000\n"


def test_csv_and_json_are_read(clock: TimeMachineFixture) -> None:
    assert wellbeing.parse(CSV) == [
        (date(2026, 11, 20), "stress", 42.0),
        (date(2026, 11, 20), "sleep", 78.0),
        (date(2026, 11, 21), "stress", 55.0),
    ]
    assert len(wellbeing.parse(json.dumps({"readings": [{"date": "2026-11-20", "sleep": 61}]}))) == 1


@pytest.mark.parametrize(
    "bad",
    ["day,mood\n2026-11-20,4\n", "date,stress\n20/11/2026,40\n", "date,stress\n2026-11-20,400\n", "[1, 2]", "{nope"],
)
def test_bad_files_are_refused_with_a_reason(bad: str, clock: TimeMachineFixture) -> None:
    with pytest.raises(ActionError):
        wellbeing.parse(bad)


def test_upload_only_while_the_cue_is_shared(
    client_for: ClientFor, member: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    client = client_for(member)
    upload = SimpleUploadedFile("scores.csv", CSV.encode(), content_type="text/csv")
    client.post(reverse("care:mine_action"), {"action": "upload", "file": upload})
    assert not WellbeingReading.objects.exists()
    share(member, Source.WELLBEING)
    upload = SimpleUploadedFile("scores.csv", CSV.encode(), content_type="text/csv")
    client.post(reverse("care:mine_action"), {"action": "upload", "file": upload})
    assert WellbeingReading.objects.filter(member=member).count() == 3


def test_a_personal_token_pushes_scores_and_is_stored_hashed(
    client: Client, member: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    share(member, Source.WELLBEING)
    token, raw = actions.do_create_token(member, "Watch")
    assert raw not in token.token_hash and WellbeingToken.objects.filter(token_hash__contains=raw[3:]).count() == 0
    url = reverse("care:wellbeing_api")
    body = json.dumps([{"date": "2026-11-20", "stress": 61}])
    response = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and response.json() == {"stored": 1}
    assert WellbeingReading.objects.get().value == 61
    actions.do_revoke_token(member, token.pk)
    response = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401


def test_the_endpoint_refuses_no_token_a_wrong_token_and_a_withdrawn_cue(
    client: Client, member: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    url = reverse("care:wellbeing_api")
    body = "date,stress\n2026-11-20,40\n"
    assert client.post(url, body, content_type="text/csv").status_code == 401
    assert client.post(url, body, content_type="text/csv", HTTP_AUTHORIZATION="Bearer hw_nope").status_code == 401
    share(member, Source.WELLBEING)
    _token, raw = actions.do_create_token(member, "Watch")
    ok = client.post(url, body, content_type="text/csv", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert ok.status_code == 200
    share(member, Source.WELLBEING, "nobody")
    assert client.post(url, body, content_type="text/csv", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
