"""Risk triage for peer-support messages: pure Python, standard library only.

``classify(text)`` reads one message and returns a :class:`TriageResult`:
a risk level (crisis / concern / none, per the labelling guide), zero or more
flags (hostility, substance, practical) and human-readable reasons so staff
can see which words decided it. ``run_jsonl`` implements the scorer's JSON
Lines contract and is what ``python -m hearth.safety.triage`` runs.

No Django here on purpose: the classifier must be testable and runnable
without a database or settings, and usable from a management command later.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import TextIO

from .rules import decide, find_hits

__all__ = ["FLAGS", "RISKS", "TriageResult", "classify", "run_jsonl"]

RISKS = ("crisis", "concern", "none")
FLAGS = ("hostility", "substance", "practical")


@dataclass(frozen=True)
class TriageResult:
    """The triage outcome for one message."""

    risk: str
    flags: tuple[str, ...]
    reasons: tuple[str, ...]


def classify(text: str) -> TriageResult:
    """Classify one message. Never raises for odd input; non-strings are treated as empty."""
    if not isinstance(text, str):
        text = ""
    hits, dropped = find_hits(text)
    risk, reasons = decide(hits)
    flag_hits = {h.kind: h for h in hits if h.kind in FLAGS}
    if "harm_other" in {h.kind for h in hits} and "hostility" not in flag_hits:
        flag_hits["hostility"] = next(h for h in hits if h.kind == "harm_other")
    flags = tuple(f for f in FLAGS if f in flag_hits)
    reasons += [f'{f}: {flag_hits[f].label} ("{flag_hits[f].words}")' for f in flags]
    reasons += dropped
    return TriageResult(risk=risk, flags=flags, reasons=tuple(reasons))


def run_jsonl(stdin: TextIO, stdout: TextIO) -> int:
    """Scorer contract: one output line per input line, same ids; never crash.

    A line that is not valid JSON or lacks a string ``text`` still gets an
    answer ("none", no flags) when an id can be recovered, because a missing
    answer counts against crisis recall while a conservative one does not
    hide the problem: it is also reported on stderr. Returns the number of
    output lines written.
    """
    count = 0
    for lineno, line in enumerate(stdin, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            item = None
            sys.stderr.write(f"triage: line {lineno}: bad JSON ({exc})\n")
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            if item is not None:
                sys.stderr.write(f"triage: line {lineno}: no string id, skipped\n")
            continue
        text = item.get("text")
        if not isinstance(text, str):
            sys.stderr.write(f"triage: line {lineno}: id {item['id']!r} has no string text\n")
            text = ""
        try:
            result = classify(text)
            out = {"id": item["id"], "risk": result.risk, "flags": list(result.flags)}
        except Exception as exc:
            sys.stderr.write(f"triage: line {lineno}: classifier error {exc!r}; answering crisis for review\n")
            out = {"id": item["id"], "risk": "crisis", "flags": []}
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        count += 1
    stdout.flush()
    return count
