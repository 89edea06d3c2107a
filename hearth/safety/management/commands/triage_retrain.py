"""``hearth triage_retrain``: learn this organisation's voices from its moderators' labels (issue 20).

Fits a model on the shipped labelled sets plus the organisation's labels, compares it with the current model on
those labels (the candidate out of fold), and switches to it only when it is not worse on crisis recall. Message
text never leaves the server. Needs the training extra (scikit-learn): ``uv sync --extra train``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hearth.core import audit
from hearth.safety.models import TriageLabel
from hearth.safety.triage import model as tm

audit.register({"safety.triage.retrained": "Triage switched to a model that learned from {labels} moderator labels"})


class Command(BaseCommand):
    help = "Retrain triage with moderators' labels; switch only when it is not worse on crisis recall."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--dry-run", action="store_true", help="compare, but do not switch")

    def handle(self, *args: Any, folds: int, dry_run: bool, **options: Any) -> None:
        try:
            import sklearn  # noqa: F401
        except ImportError:
            raise CommandError(
                "Retraining needs scikit-learn: install the training extra (uv sync --extra train)."
            ) from None
        from hearth.safety.triage import training as tr

        labels = [
            {"id": f"org-{label.pk}", "text": label.text, "risk": label.risk, "flags": []}
            for label in TriageLabel.objects.order_by("pk")
        ]
        try:
            tr.check_enough_labels(len(labels))  # before loading every labelled set (seconds)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        current = tm.load()
        meta = current.meta.get("config") if current else None
        config = (
            tr.Config(**{**meta, "learned_flags": tuple(meta["learned_flags"])})
            if isinstance(meta, dict)
            else tr.Config()
        )
        base = tr.load_all()
        base.pop("organisation", None)
        try:
            result = tr.retrain(labels, base, current, config, folds=folds)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        c, n = result.current, result.candidate
        self.stdout.write(
            f"{result.labels} labels. Current: crisis recall {c.crisis_recall:.3f}, precision {c.crisis_precision:.3f}, "
            f"macro-F1 {c.macro_f1:.3f}. Candidate (out of fold): crisis recall {n.crisis_recall:.3f}, "
            f"precision {n.crisis_precision:.3f}, macro-F1 {n.macro_f1:.3f}."
        )
        if not result.switch or result.weights is None:
            self.stdout.write(f"Kept the current model: {result.why}.")
            return
        if dry_run:
            self.stdout.write(f"Would switch ({result.why}); --dry-run, so nothing changed.")
            return
        out = Path(settings.TRIAGE_WEIGHTS)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".tmp")
        tmp.write_text(json.dumps(result.weights, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
        tmp.replace(out)
        tm.load.cache_clear()
        audit.log_action("safety.triage.retrained", actor=None, data={"labels": result.labels})
        self.stdout.write(f"Switched ({result.why}). Wrote {out}; restart the app and workers to use it everywhere.")
