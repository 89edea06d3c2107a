"""Everything heard: every kind of live event the server sends has a page (or consumer) that listens for it.

Sent kinds are read from the code that sends them: ``"kind": "app.thing"`` in any (non-test) module, and the
kinds passed to ``message_payload``. Listened-for kinds are read from what listens: string literals in the
static scripts (``event.kind === "…"``, ``case "…"``, lists of kinds), ``data-refresh-on`` and ``data-notify``
on live templates, and the consumers that act on an event themselves (closing a socket when someone leaves).
An event nobody listens for is work that reaches no one: wire a page to it, or stop sending it.
"""

from __future__ import annotations

import re
from pathlib import Path

HEARTH = Path(__file__).resolve().parents[2]
DOTTED = r"[a-z_]+(?:\.[a-z_]+)+"


def _sources(pattern: str) -> list[Path]:
    return [p for p in HEARTH.rglob(pattern) if "tests" not in p.parts and "vendor" not in p.parts]


def sent_kinds() -> dict[str, str]:
    """Every kind the server sends, with the file that sends it."""
    found: dict[str, str] = {}
    for path in _sources("*.py"):
        code = path.read_text()
        for kind in re.findall(rf"[\"']kind[\"']\s*:\s*[\"']({DOTTED})[\"']", code):
            found.setdefault(kind, str(path.relative_to(HEARTH)))
        for kind in re.findall(rf"message_payload\([^)]*?[\"']({DOTTED})[\"']\)", code):
            found.setdefault(kind, str(path.relative_to(HEARTH)))
        for kind in re.findall(rf"kind: str = [\"']({DOTTED})[\"']", code):
            found.setdefault(kind, str(path.relative_to(HEARTH)))
    return found


def heard_kinds() -> set[str]:
    heard: set[str] = set()
    for path in _sources("*.js"):
        heard |= set(re.findall(rf"[\"']({DOTTED})[\"']", path.read_text()))
    for path in _sources("*.html"):
        page = path.read_text()
        for value in re.findall(r'data-refresh-on="([^"]*)"', page):
            heard |= set(value.split())
        for value in re.findall(r'data-notify="([^"]*)"', page):
            heard |= {pair.split(":", 1)[0] for pair in value.split("|") if ":" in pair}
    for path in _sources("consumers.py"):  # consumers that act on an event themselves
        heard |= set(re.findall(rf"==\s*[\"']({DOTTED})[\"']", path.read_text()))
    return heard


def test_the_scan_finds_the_events_we_know_about() -> None:
    sent = sent_kinds()
    assert {"chat.message", "chat.message.changed", "community.post.created", "safety.alert"} <= set(sent)
    assert {"chat.message", "safety.alert"} <= heard_kinds()


def test_every_event_the_server_sends_has_a_listener() -> None:
    unheard = {kind: where for kind, where in sent_kinds().items() if kind not in heard_kinds()}
    assert not unheard, "sent, but no page listens:\n" + "\n".join(
        f"{k} (from {w})" for k, w in sorted(unheard.items())
    )
