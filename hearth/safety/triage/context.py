"""Reading a message with what Hearth already knows about its writer (standard library only).

"Gave the dog to my sister today" is nothing from most members. From someone whose messages were flagged
yesterday, or who has an open crisis alert, or who shares a falling-mood cue with the team, it is a goodbye made
by giving things away, and a person must look now. :class:`WriterContext` carries what is known (built from the
database by ``hearth.safety.context.writer_context``, respecting what the member shares); :func:`apply_context`
reads the message again with it.

What changes, and only when the context is raised (a recent crisis or concern, an open alert, a recent
goodbye-like message, or a care cue the member shares with the team):

* a goodbye-like or finality cue (belongings or pets given away, affairs sorted, thanks for everything, a last
  time), means at hand, or a place with a time → **crisis**;
* a place alone, or the model's review band → **review** (the moderation queue, within the hour);
* everything else is unchanged: ordinary chat ("Love this!") from the same person stays ``none``.

The reasons name the context, so staff see why ("context: flagged as concern 1 day ago").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .normalize import normalize
from .rules import find_hits

if TYPE_CHECKING:
    from . import TriageResult


@dataclass(frozen=True)
class WriterContext:
    """What is known about the writer of a message, with their consent. Each note is shown to staff as is."""

    recent_risk: str = "none"  # the most urgent triage result of their own recent messages
    open_alert: bool = False  # a crisis alert about them raised recently
    recent_goodbye: bool = False  # one of their recent messages read like a goodbye
    cues: tuple[str, ...] = ()  # care cues they share with the team ("a falling mood", "going quiet")
    notes: tuple[str, ...] = ()  # plain words for staff, one per thing known

    @property
    def raised(self) -> bool:
        return self.recent_risk in ("crisis", "concern") or self.open_alert or self.recent_goodbye or bool(self.cues)


# Goodbye-like acts that are ordinary on their own: giving belongings or pets away, settling affairs, thanking
# everyone, a last time. Written as kinds, in the writer's likely words (normalised: lower case, no apostrophes).
_BELONGINGS = (
    r"(?:dog|cat|budgie|rabbit|pets?|horse|car|van|bike|guitar|watch|ring|medals?|tools|console|ps5|xbox|games|"
    r"books|records|clothes|jewellery|necklace|collection|savings|money|laptop|phone|things|stuff|belongings|"
    r"plants|fish|tank|keys|bank card|pin)"
)
CONTEXT_CUES = re.compile(
    r"\b(?:gave|given|giving|give|handed|handing|left|leaving|passed|passing|dropped)\b[^.!?\n]{0,25}?\b"
    + _BELONGINGS
    + r"\b[^.!?\n]{0,25}?\b(?:to|with|for)\b"
    r"|\b(?:gave|given|giving|give) (?:away|all) (?:my|the|his|her)\b"
    r"|\brehom\w*"
    r"|\b(?:sorted|sorting|sort|finished|written|wrote|updated|signed) (?:out )?(?:my|the) "
    r"(?:will|affairs|paperwork|passwords|insurance|funeral|bank stuff|accounts)"
    r"|\bthank(?:s| you)(?: all| everyone| you all)? for everything\b"
    r"|\b(?:said|saying) (?:my )?(?:goodbyes?|bye)\b"
    r"|\b(?:last|final) (?:time|post|message|walk|visit|day|night)\b"
    r"|\bwont need (?:it|them|this|that|any of (?:it|this)) (?:any ?more|again|where im going)"
    r"|\bletters? (?:for|to) (?:my|the|each|everyone)\b"
    r"|\b(?:look|looking) after (?:my|the) (?:dog|cat|kids|pets?|budgie|boys|girls)\b"
)
_STRONG_KINDS = ("finality", "farewell", "goodbye", "means", "welfare", "ambiguous_act")


def context_could_matter(text: str, result: TriageResult) -> bool:
    """True when reading this message with the writer's context could change it (so look the context up).

    Cheap, and false for most messages, so ordinary chat costs no database query.
    """
    if result.risk == "crisis":
        return False
    if result.risk == "concern" or result.review:
        return True
    norm = normalize(text).text
    if CONTEXT_CUES.search(norm):
        return True
    hits, _ = find_hits(text)
    return any(h.kind in (*_STRONG_KINDS, "place") for h in hits)


def apply_context(text: str, result: TriageResult, context: WriterContext | None) -> TriageResult:
    """The message read again with what is known about its writer (see the module docstring)."""
    if context is None or not context.raised or result.risk == "crisis":
        return result
    norm = normalize(text).text
    hits, _ = find_hits(text)
    kinds = {h.kind: h for h in hits}
    cue = CONTEXT_CUES.search(norm)
    strong = next((kinds[k] for k in _STRONG_KINDS if k in kinds), None)
    place, time = kinds.get("place"), kinds.get("time")
    known = "; ".join(context.notes) or "flagged recently"
    if cue or strong or (place and time):
        words = cue.group(0) if cue else (strong.words if strong else f"{place.words if place else ''} …")
        why = f'crisis: read with the writer\'s context ("{words.strip()}" from someone {known})'
        return replace(result, risk="crisis", reasons=(why, *result.reasons), review=False)
    if place or result.review or result.risk == "concern":
        why = f"review: read with the writer's context ({known})"
        return replace(result, review=True, reasons=(*result.reasons, why))
    return result
