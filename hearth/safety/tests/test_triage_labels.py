"""The loop with the moderators: their judgements stored as labels, exported on the server, and a retrain that
refuses a worse model (issue 20)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry
from hearth.members.data_rights import erase_member
from hearth.members.models import Member
from hearth.safety import actions
from hearth.safety.models import ModerationItem, TriageLabel
from hearth.safety.tests.test_triage_cv import CONCERN, CRISIS, NONE, _toy_sets
from hearth.safety.triage import model
from hearth.safety.triage import training as tr
from hearth.testing import ClientFor
from hearth.testing import text as page_text

WORDS = "I keep thinking I'd be better off not waking up, honestly everyone would cope fine"


@pytest.fixture
def item(member: Member, monkeypatch: pytest.MonkeyPatch) -> ModerationItem:
    from hearth.safety import content

    kind = content.ContentKind(
        key="test.note",
        label="note",
        author_of=lambda pk: member,
        excerpt=lambda pk: WORDS,
        hide=lambda pk, hidden: None,
        visible_to=lambda m, pk: True,
        link=lambda pk: "",
    )
    monkeypatch.setitem(content._KINDS, "test.note", kind)
    actions.screen_writing(author=member, text=WORDS, content_key="test.note", object_id=7)
    return ModerationItem.objects.get(content_key="test.note", object_id=7)


def test_a_moderators_judgement_is_stored_encrypted_and_replaced_not_duplicated(
    item: ModerationItem, peer_worker: Member
) -> None:
    label = actions.do_label_item(peer_worker, item.pk, "crisis")
    assert label.text == WORDS
    assert WORDS not in label.text_encrypted and "better off" not in label.text_encrypted
    assert label.predicted_risk == item.risk and label.risk == "crisis"
    actions.do_label_item(peer_worker, item.pk, "concern")
    assert TriageLabel.objects.get().risk == "concern"
    entry = AuditEntry.objects.filter(action="safety.item.labelled").last()
    assert entry is not None and WORDS not in json.dumps(entry.data)


def test_labelling_needs_a_moderator_and_a_known_answer(
    item: ModerationItem, member: Member, peer_worker: Member
) -> None:
    with pytest.raises(Exception):  # noqa: B017 (members may not see the queue at all)
        actions.do_label_item(member, item.pk, "crisis")
    with pytest.raises(ActionError):
        actions.do_label_item(peer_worker, item.pk, "maybe")


def test_label_from_the_review_page(client_for: ClientFor, item: ModerationItem, peer_worker: Member) -> None:
    client = client_for(peer_worker)
    url = reverse("safety:item", args=[item.pk])
    assert "Teach triage" in page_text(client.get(url))
    response = client.post(url, {"form": "label", "risk": "none"}, follow=True)
    assert response.status_code == 200
    assert TriageLabel.objects.get().risk == "none"


def test_members_cannot_label(client_for: ClientFor, item: ModerationItem, member: Member) -> None:
    response = client_for(member).post(reverse("safety:item", args=[item.pk]), {"form": "label", "risk": "none"})
    assert response.status_code in (302, 403)
    assert not TriageLabel.objects.exists()


def test_coordinators_see_this_months_figures(
    client_for: ClientFor, item: ModerationItem, peer_worker: Member, coordinator: Member
) -> None:
    actions.do_label_item(peer_worker, item.pk, "crisis")
    figures = actions.label_figures(timezone.now() - timedelta(days=30))
    assert figures["labels"] == 1 and figures["crises"] == 1
    body = page_text(client_for(coordinator).get(reverse("safety:workload")))
    assert "from moderators' labels" in body and "1 message labelled" in body


def test_export_is_audited_and_erasure_deletes_the_words(
    item: ModerationItem, peer_worker: Member, member: Member, capsys: pytest.CaptureFixture[str]
) -> None:
    actions.do_label_item(peer_worker, item.pk, "crisis")
    call_command("triage_labels")
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert rows == [{"id": rows[0]["id"], "text": WORDS, "risk": "crisis", "flags": []}]
    assert AuditEntry.objects.filter(action="safety.labels.exported").exists()
    erase_member(member)
    assert not TriageLabel.objects.exists()


# --- retraining --------------------------------------------------------------------------------------


def _labels(n: int = 24) -> list[dict[str, str]]:
    pool = [(t, "crisis") for t in CRISIS] + [(t, "concern") for t in CONCERN] + [(t, "none") for t in NONE]
    return [
        {
            "id": f"org-{i}",
            "text": f"{pool[i % len(pool)][0]} {'z' * (i // len(pool) + 1)}",
            "risk": pool[i % len(pool)][1],
        }
        for i in range(n)
    ]


def test_switch_only_when_not_worse_on_crisis_recall() -> None:
    def scores(recall: float, precision: float = 0.9, f1: float = 0.8) -> tr.Scores:
        return tr.Scores(100, recall, precision, f1, 0.9, 0.9, 0.0, 20, int(20 * recall), 20)

    assert tr.should_switch(scores(0.8), scores(0.85))[0]
    assert tr.should_switch(scores(0.8), scores(0.8))[0]
    switch, why = tr.should_switch(scores(0.8), scores(0.75, f1=0.95))
    assert not switch and "crisis recall would fall" in why
    assert not tr.should_switch(scores(0.8), scores(0.9, f1=0.7))[0]


def test_retrain_refuses_a_worse_model(monkeypatch: pytest.MonkeyPatch) -> None:
    base = _toy_sets()
    current = model.LearnedLexicon(
        {
            **tr.fit([it for v in base.values() for it in v], tr.Config(c=10.0)),
            "thresholds": {"crisis": 0.4, "risk": 0.5, "min_words": 3},
        }
    )
    # A candidate that learned nothing (every weight gone) is worse where the rules miss: it must be refused.
    real_fit = tr.fit

    def useless_fit(items: Sequence[tr.Item], config: tr.Config) -> dict[str, Any]:
        weights = real_fit(items, config)
        weights["risk"]["weights"] = {}
        weights["risk"]["bias"] = [-5.0, -5.0, 5.0]
        return weights

    monkeypatch.setattr(tr, "fit", useless_fit)
    result = tr.retrain(_labels(), base, current, tr.Config(c=10.0, min_words=3), folds=3)
    assert result.current.crisis_recall > result.candidate.crisis_recall
    assert not result.switch and result.weights is None


def test_retrain_switches_to_a_model_that_is_not_worse() -> None:
    base = _toy_sets()
    result = tr.retrain(_labels(), base, None, tr.Config(c=10.0, min_words=3), folds=3)
    assert result.switch, result.why
    assert result.weights is not None and result.weights["trained_on"]["organisation"] == 24


def test_retrain_needs_enough_labels() -> None:
    with pytest.raises(ValueError, match="at least"):
        tr.retrain(_labels(5), _toy_sets(), None, tr.Config())


def test_the_command_keeps_the_current_model_with_too_few_labels(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="labels"):
        call_command("triage_retrain", "--dry-run")
