"""The triage engine: find lexicon matches, vet them in context, decide.

Pipeline for one message:

1. ``normalize`` (quoted lines and lyric quotes set aside, text-speak expanded).
2. Each rule's own precompiled pattern scans the text, in lexicon order, but
   only when the text holds one of the literal words every match of that
   pattern must contain (``_needs``, worked out once from the parsed pattern;
   a rule with no such word always runs). Every match is a *hit* with the
   rule that produced it, at most ``_MAX_MATCHES_PER_RULE`` per rule.
3. Each hit is vetted against its context. A hit is dropped, with a reason
   that names the words, when it is

   * negated shortly before, in the same clause ("not suicidal", "I'd never"),
   * in a sentence with a past marker and no present anchor ("years ago",
     "used to", "back then"), or the message is a recovery story,
   * hyperbole: a joke marker nearby with no "for real", or an idiom context
     ("phone on 2%", "die of embarrassment", a game lobby),
   * addressed to the reader ("if you're thinking of ending it, call...") or
     about someone in a film/news story,
   * for flags: a reported insult aimed at the writer, or somebody else's
     drinking.

4. ``decide`` turns the surviving kinds into a risk level: direct crisis kinds
   win; weaker kinds become crisis only in combination (ideation + means,
   ideation + a time, several farewell cues...); otherwise concern when the
   weighted distress reaches a threshold.
"""

from __future__ import annotations

import re
import re._constants as _sre  # the parsed pattern's opcodes: see _needs
import re._parser as _sre_parse
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from . import lexicon as lx
from .normalize import normalize

_F = re.MULTILINE


@dataclass(frozen=True)
class Hit:
    """A lexicon match that survived its context checks."""

    kind: str
    label: str
    words: str
    person: str  # "first" | "third"


# The rules compiled once, at import. Each rule gets its own pattern: Python's
# regex engine scans literal-prefixed patterns quickly, and one pattern per
# rule keeps overlapping matches from different rules (a "tonight" inside an
# intent phrase) visible to both.
_COMPILED: tuple[tuple[lx.Rule, re.Pattern[str]], ...] = tuple((r, re.compile(r.pattern, _F)) for r in lx.RULES)

# Words a rule cannot match without. Most rules need one of a few literal words ("pills", "signing off") that most
# messages do not contain; a substring test for them (C speed) before the scan skips the regex engine's try at every
# word position. Worked out from the parsed pattern, conservatively: a rule whose matches need not contain a literal
# of at least three characters gets no filter and always runs, so the filter never changes a result.
_MIN_LITERAL = 3


def _needs(items: Any) -> frozenset[str] | None:
    """Strings of which every match of this parsed sequence contains at least one, or None when unknown."""
    options: list[frozenset[str]] = []
    run: list[str] = []
    for op, arg in items:
        if op is _sre.LITERAL:
            run.append(chr(arg))
            continue
        if run:
            options.append(frozenset({"".join(run)}))
            run = []
        need: frozenset[str] | None = None
        if op is _sre.SUBPATTERN and not arg[1] & re.IGNORECASE:  # (?i:...) would match other cases
            need = _needs(arg[-1])
        elif op is _sre.BRANCH:
            branches = [_needs(b) for b in arg[1]]
            need = None if None in branches else frozenset().union(*(b for b in branches if b is not None))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and arg[0] >= 1:
            need = _needs(arg[2])
        elif op is _sre.ATOMIC_GROUP:
            need = _needs(arg)
        if need is not None:
            options.append(need)
    if run:
        options.append(frozenset({"".join(run)}))
    options = [o for o in options if o and min(map(len, o)) >= _MIN_LITERAL]
    return max(options, key=lambda o: (min(map(len, o)), -len(o)), default=None)


def _prefilter(pattern: str) -> tuple[str, ...]:
    parsed = _sre_parse.parse(pattern, _F)
    need = None if parsed.state.flags & re.IGNORECASE else _needs(parsed)
    return tuple(sorted(need)) if need else ()


def _shortest(words: tuple[str, ...]) -> frozenset[str]:
    """The words without any that contains another of them: a text holding "sleeping pills" holds "pills"."""
    kept: list[str] = []
    for word in sorted(set(words), key=len):
        if not any(shorter in word for shorter in kept):
            kept.append(word)
    return frozenset(kept)


_FILTERED: tuple[tuple[lx.Rule, re.Pattern[str], frozenset[str]], ...] = tuple(
    (r, c, _shortest(_prefilter(r.pattern))) for r, c in _COMPILED
)
# Every filter word, grouped by its first three letters (issue 20, sixth round): a message is read once for the filter
# words it holds, a group at a time (a group is skipped when its three letters are not in the text), and each rule
# then asks a set question of C speed instead of testing its own words one by one.
_BY_PREFIX: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (prefix, tuple(sorted(w for w in set().union(*(n for _, _, n in _FILTERED)) if w[:_MIN_LITERAL] == prefix)))
    for prefix in sorted({w[:_MIN_LITERAL] for _, _, n in _FILTERED for w in n})
)


def _present(text: str) -> set[str]:
    """The filter words the text holds (substrings, as ``word in text``)."""
    return {w for prefix, words in _BY_PREFIX if prefix in text for w in words if w in text}


_NEG_RE = re.compile(lx.NEGATION)
_PAST_RE = re.compile(lx.PAST)
_PRESENT_RE = re.compile(lx.PRESENT)
_RECOVERY_RE = re.compile(lx.RECOVERY)
_JOKE_RE = re.compile(lx.JOKE)
_SERIOUS_RE = re.compile(lx.SERIOUS)
_IDIOM_RE = re.compile(lx.IDIOM)
_GAMING_RE = re.compile(lx.GAMING)
_FICTION_RE = re.compile(lx.FICTION)
_REPORTED_RE = re.compile(lx.REPORTED)
_SUBJECT_RE = re.compile(lx.SUBJECT)
_OBJECT_PREP_RE = re.compile(r"\b(?:for|to|with|about|from|at|of|on|after|caring for|by|like)\s+$")
_TOLD_TO_RE = re.compile(
    r"\b(?:telling|told|tells|tell|said|saying|says|asked|asking|dming|messaging)\s+(?:me|us|people|him|her|"
    r"them|someone|everyone)\s+to\s+$"
)
_TRIVIAL_IF_RE = re.compile(
    r"\bif (?:he|she|they|you|anyone|somebody|someone|my \w+) (?:\w+ ){0,2}?(?:eats?|touch(?:es)?|takes?|uses?|"
    r"borrows?|drinks?|finish(?:es)?|spoils?|steals?|nicks?|moves?|breaks?|wears?|forgets?|plays?|does that|"
    r"leaves?|puts?|washes|shrinks?|loses?)\b"
)
_TOPIC_RE = re.compile(r"\b(?:(?:content|trigger) warnings?|tw|cw)\b[^.!?\n]{0,25}$")
_ANNIVERSARY_RE = re.compile(r"\bago (?:today|tonight|this week)\b")
_AFFIRM_RE = re.compile(
    r"^\s*(?:yeah|yes|yep|yup|same|me too|this|every day|all the time|i do|honestly yes|literally me|"
    r"relatable|100%|so much this|same here)\b"
)
_PROFESSIONAL_RE = re.compile(
    r"\b(?:im|i am) (?:a|an) (?:support worker|social worker|nurse|gp|doctor|counsell?or|"
    r"housing officer|teacher|volunteer|key worker|manager at)\b"
)
_PAST_VERB_RE = re.compile(r"\b(?:was|were|tried|attempted|thought|felt|had|did|went|used|wanted|cut)\b")
_SENT_END_RE = re.compile(r"[.!?\n]+")
_CLAUSE_END_RE = re.compile(r"[,;:.!?\n()]+|\s(?:but|though|although|however|except|whereas|yet|so)\s|\s-\s")

# Kinds vetted for risk context (negation, past, person).
_RISK_KINDS = frozenset(
    {
        "intent",
        "act",
        "goodbye",
        "harm_other",
        "ideation",
        "means",
        "farewell",
        "ambiguous_act",
        "passive",
        "concern",
        "weak",
        "place",
        "finality",
    }
)
# Kinds where a joke/idiom context means hyperbole rather than risk.
_FIGURATIVE_KINDS = frozenset({"ideation", "passive", "harm_other", "intent"})
# Kinds whose subject matters: "you" means a supportive reply, "he/she" a third party.
_PERSON_KINDS = frozenset(
    {"intent", "ideation", "act", "passive", "means", "substance", "practical", "concern", "place", "finality"}
)
_CONCERN_WEIGHT = {"passive": 2, "concern": 2, "ideation": 2, "means": 1, "weak": 1, "farewell": 1, "finality": 1}
# Means put out of reach ("put the blades in the bin") are a safety step, not a plan.
# "took all my tablets this morning like the GP said": medication taken as it should be, not an overdose.
_AS_PRESCRIBED_RE = re.compile(
    r"\b(?:as prescribed|(?:like|as) the (?:gp|doctor|nurse|pharmacist|consultant) (?:said|told me|wants)|"
    r"as (?:i was|im) told)\b"
)
_DISARM_RE = re.compile(
    r"\b(?:in the bin|binned|threw (?:them |it )?away|thrown (?:them |it )?away|got rid of|handed (?:them |it )?in|"
    r"gave (?:them|it) to (?:my|the)|locked (?:them |it )?away|hidden (?:them |it )?from myself|put (?:them |it )?away|"
    r"flushed|didnt use)\b"
)
# A goodbye for an ordinary reason ("moving to Canada", "back in May").
_BENIGN_LEAVE_RE = re.compile(
    r"\b(?:moving (?:to|abroad|away|house)|emigrat\w*|new job|going travelling|leaving the (?:group|forum|chat) "
    r"(?:because|as|for)|back (?:in|next|after|on) (?:\w+ )?(?:week|month|may|june|july|august|september|january|"
    r"february|march|april|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"see you (?:all )?(?:soon|tuesday|next|in|at|on(?! the other side\b(?! of\b))|when)|challenge|gratitude|the series|the season)\b"
    # Round 8: a pet rehomed because where the writer lives will not have it ("the refuge doesn't take pets").
    r"|\b(?:doesnt|dont|wont|does not|do not|will not|cant|cannot|isnt|arent) (?:allow|take|accept|have|let (?:me|us) "
    r"(?:have|keep)) (?:any )?(?:pets|dogs?|cats?|animals)\b|\bno pets\b"
)
# Frustration markers that make "I'm going to kill her" sibling hyperbole, absent a weapon or a time.
_FRUSTRATION_RE = re.compile(r"(?:\bugh+\b|\bargh+\b|\bffs\b|\bomg\b|\U0001f624|\U0001f644|\U0001f621|\U0001f620)")
_WEAPON_RE = re.compile(
    r"\b(?:knife|knives|bat|hammer|gun|blade|machete|tonight|when (?:he|she|they) gets? (?:home|back))\b"
)
# A decision that is then spelled out as something ordinary ("I've decided. I'm finally going to cut my fringe").
_MUNDANE_PLAN_RE = re.compile(
    r"\b(?:going to|gonna|will) (?:\w+ ){0,2}?(?:cut|dye|shave|paint|clean|tidy|book|buy|hand in|quit|leave|tell|ask|"
    r"start|try|learn|cook|bake|join|apply for|go for) (?:my |this |the |a |an )?(?:own )?(?!wrists?|arms?|legs?|skin|"
    r"thighs?|life|throat)(?:fringe|hair|notice|nails|room|kitchen|house|flat|job|boss|course|driving|diet|garden|bedroom|"
    r"marathon|gym|class|new|first|degree|uni|relationship|him|her|manager|gp|doctor|family|parents|mum|dad|partner|"
    r"friends|teacher|sponsor)\b|\bhanding (?:my|in my) notice\b|\b(?:decided|doing it)\b[^\n]{0,20}\b(?:signing up|"
    r"sign up|booking|applying|enrolling|going back to (?:college|uni|school|work))\b"
)
# "if I ever see him", "if I catch her": a condition on meeting someone, not a plan to go to them.
_IF_EVER_RE = re.compile(
    r"\bif (?:i|we|my \w+) (?:ever )?(?:see|catch|meet|run into|bump into|find|set eyes on) (?:him|her|them|that|you|"
    r"the|his|her)\b"
)
_ASKED_IF_RE = re.compile(r"\basked (?:me )?(?:if|whether)\b[^.!?\n]{0,60}$")
_SECOND_AFTER_RE = re.compile(r"\s*(?:yourself|yourselves|urself|you)\b")
_EVERYONE_DIES_RE = re.compile(
    r"\b(?:we|were|we are|everyone|everybody|all of us)(?: all)? (?:going to|gonna|will) die\b"
)


def _spans(text: str, boundary: re.Pattern[str]) -> list[int]:
    """Start offsets of the segments that ``boundary`` separates."""
    return [0] + [m.end() for m in boundary.finditer(text)]


def _segment(starts: list[int], text: str, pos: int) -> tuple[int, int]:
    i = bisect_right(starts, pos) - 1
    end = starts[i + 1] if i + 1 < len(starts) else len(text)
    return starts[i], end


# A negator that is itself the distress, not a negation of what follows: "can't take it no more lads, going to do it
# tonight", "can't do another day… pills are in front of me", "I don't want my daughter to be the one to find me".
_NOT_A_NEGATION_RE = re.compile(
    r"(?:cant|cannot|can not)\s+(?:take (?:it|this|anymore|any more|no more)|do (?:this|it|that) (?:anymore|any more|"
    r"no more)|do another|go on\b|carry on|face (?:it|this|another)|handle (?:it|this)|stand (?:it|this)|bear (?:it|this)|"
    r"live like)|(?:dont|didnt|do not|did not) want (?:\w+ ){1,3}to (?:be|find)\b"
)


# The writer starts a new statement after the negator: "…when sleep won't come I've saved enough pills".
_NEW_SUBJECT_RE = re.compile(r"\b(?:i|ive|im|id|ill)\b")
_CONDITION_RE = re.compile(r"\b(?:if|unless) (?:i|you|we|he|she|they|my \w+) $")


def _negation(before: str) -> re.Match[str] | None:
    """The first negator before a match that really negates: not one that is itself distress, nor one followed by
    a new statement of the writer's own before the match."""
    for neg in _NEG_RE.finditer(before):
        if _NOT_A_NEGATION_RE.match(before, neg.start()) or _NEW_SUBJECT_RE.search(before, neg.end()):
            continue
        if _CONDITION_RE.search(before, max(0, neg.start() - 12), neg.start()):
            continue  # "if I don't let him back in, he'll kill me": a condition, not a denial
        return neg
    return None


_INSTEAD_RE = re.compile(r"\binstead\b")
_ARMED_RE = re.compile(rf"\b(?:{lx.ARMED}|bayonet|hurley)s?\b")
# "you said earlier you'd taken 20 diazepam": the reader's own disclosure, reported by someone worried about them.
_YOU_SAID_RE = re.compile(r"\byou (?:said|told (?:us|me|everyone)|posted|wrote|messaged)\b[^.!?\n]{0,40}$")


# Someone else's words, quoted by the writer: "he posted", "she texted me", "his last message:", "dad said".
_QUOTE_INTRO_RE = re.compile(
    r"\b(?:said|says|saying|posted|put (?:up|on)|texted|messaged|sent|wrote|rang (?:me )?saying|voice note|message|"
    r"status|story|note)\b[^.!?\n\"']{0,40}$|\b(?:message|status|post|text|note)s?(?: on [^:\"']{0,30})?: ?$"
)


def _in_reported_quote(text: str, pos: int) -> bool:
    """Whether ``pos`` is inside a quoted span that the writer introduces as someone else's words."""
    for mark in ('"', "'"):
        opened = text.rfind(mark, 0, pos)
        if opened < 0 or text.count(mark, 0, pos) % 2 == 0:
            continue
        if _QUOTE_INTRO_RE.search(text, max(0, opened - 60), opened):
            return True
    return False


def _person(before: str) -> str:
    """Whose act is this: the last subject pronoun before the match decides."""
    person = "first"
    for m in _SUBJECT_RE.finditer(before):
        if m.lastgroup == "third" and _OBJECT_PREP_RE.search(before, 0, m.start()):
            continue  # "caring for dad is ..." - dad is an object, not the subject
        person = m.lastgroup or "first"
    return person


@dataclass
class _Context:
    """Per-message facts shared by every hit's checks."""

    text: str
    sentences: list[int]
    clauses: list[int]
    recovery: bool


def _vet(rule: lx.Rule, m: re.Match[str], ctx: _Context, dropped: list[str]) -> Hit | None:
    """Return a Hit if the match means what the rule says in this context."""
    text, kind = ctx.text, rule.kind
    words = m.group(0).strip()
    s0, s1 = _segment(ctx.sentences, text, m.start())
    c0, c1 = _segment(ctx.clauses, text, m.start())
    sentence = text[s0:s1]
    before = text[max(c0, m.start() - 40) : m.start()]
    person = "first"

    if kind in _RISK_KINDS or kind in ("substance", "hostility"):
        neg = _negation(before)
        if neg and _INSTEAD_RE.search(text, m.end(), s1 + 60):
            neg = None  # "didn't go to the bridge yesterday, going tonight instead": put off, not denied
        if neg and kind not in ("farewell",):
            dropped.append(f'negated: "{neg.group(0)} … {words}"')
            return None
    if kind != "hostility":
        past = _PAST_RE.search(sentence)
        clause = _ANNIVERSARY_RE.sub(" ", text[c0 : max(c1, m.end())])
        if past and not _PRESENT_RE.search(clause):
            dropped.append(f'past: "{words}" ("{past.group(0)}")')
            return None
        if (
            ctx.recovery
            and kind in ("ideation", "passive", "concern", "weak", "substance", "means")
            and _PAST_VERB_RE.search(sentence)
            and not _PRESENT_RE.search(sentence)
        ):
            dropped.append(f'recovery story: "{words}"')
            return None
    if kind in _PERSON_KINDS:
        person = _person(text[max(c0, m.start() - 60) : m.start()])
        if kind in ("ideation", "concern") and _TOPIC_RE.search(text, max(0, m.start() - 40), m.start()):
            dropped.append(f'content warning, a topic not a state: "{words}"')
            return None
        if kind in ("ideation", "intent", "passive") and _TOLD_TO_RE.search(text, max(0, m.start() - 40), m.start()):
            dropped.append(f'reported speech, someone told them: "{words}"')
            return None
        if kind in ("ideation", "intent", "passive") and _SECOND_AFTER_RE.match(text, m.end()):
            dropped.append(f'aimed at the reader: "{words}"')
            return None
        if kind in ("concern", "passive", "ideation") and _ASKED_IF_RE.search(text, max(s0, m.start() - 80), m.start()):
            dropped.append(f'a question someone asked: "{words}"')
            return None
        if kind in ("concern", "weak") and _REPORTED_RE.search(before):
            dropped.append(f'reported speech aimed at the writer: "{words}"')
            return None
        if kind == "practical":
            person = "first"  # "how do you fill in a PIP form?" is still the writer's need
        if person == "second" and _YOU_SAID_RE.search(text, max(s0, m.start() - 60), m.start()):
            person = "third"  # a member's disclosure reported by someone worried about them
        if person == "second" and _in_reported_quote(text, m.start()):
            person = "third"  # "my son texted 'you won't have to deal with me anymore'": his words, to the writer
        if person == "second":
            dropped.append(f'addressed to the reader: "{words}"')
            return None
        if person == "third" and _FICTION_RE.search(sentence):
            dropped.append(f'film/news: "{words}"')
            return None
        if person == "third" and kind == "substance":
            dropped.append(f'someone else\'s: "{words}"')
            return None
        # A third party's place is kept (issue 20, sixth round): "decide" counts it only beside an alarm about them
        # (they have gone quiet, said goodbye, someone is asked to go there), never on its own.
    if rule.label == "overdose taken" and _AS_PRESCRIBED_RE.search(sentence):
        dropped.append(f'taken as prescribed: "{words}"')
        return None
    if kind == "means" and _DISARM_RE.search(sentence) and not _KEPT_BACK_RE.search(sentence):
        dropped.append(f'means put out of reach: "{words}"')
        return None
    if kind in ("farewell", "goodbye", "finality") and _BENIGN_LEAVE_RE.search(text):
        dropped.append(f'an ordinary goodbye: "{words}"')
        return None
    if kind in ("ideation", "intent") and _EVERYONE_DIES_RE.search(sentence):
        dropped.append(f'mortality in general: "{words}"')
        return None
    if kind in ("intent", "ambiguous_act") and rule.key in ("intent_decided", "intent_tonight"):
        # This sentence and the next: the decision is often spelled out after a full stop.
        nxt_end = _segment(ctx.sentences, text, s1)[1] if s1 < len(text) else s1
        mundane = _MUNDANE_PLAN_RE.search(text, s0, nxt_end)
        if mundane:
            dropped.append(f'an ordinary decision: "{words}" ("{mundane.group(0)}")')
            return None
    if kind == "harm_other" and _IF_EVER_RE.search(text, s0, m.start()) and not _WEAPON_RE.search(sentence):
        # Round 8: "if I ever see him in town I'll smash his face in": a threat on a condition, with no weapon and no
        # when, is hostility, not an alarm.
        dropped.append(f'a threat on a condition: "{words}"')
        return Hit("hostility", "threat of violence (on a condition)", words, person)
    if kind == "harm_other" and _FRUSTRATION_RE.search(text) and not _WEAPON_RE.search(text):
        dropped.append(f'hyperbole, frustration: "{words}"')
        return None
    if kind in _FIGURATIVE_KINDS or rule.joke_prone:
        window = text[max(0, m.start() - 80) : m.end() + 80]
        joke = _JOKE_RE.search(window)
        if joke and (rule.joke_prone or kind == "harm_other") and not _SERIOUS_RE.search(text):
            dropped.append(f'joke: "{words}" ("{joke.group(0)}")')
            return None
        trivial = _TRIVIAL_IF_RE.search(sentence) if kind in ("harm_other", "hostility") else None
        if trivial:
            dropped.append(f'hyperbole over a trifle: "{words}" ("{trivial.group(0)}")')
            return None
        figurative = kind in ("ideation", "passive", "harm_other") or (kind == "intent" and rule.joke_prone)
        idiom = _IDIOM_RE.search(sentence) if figurative else None
        if idiom and not _SERIOUS_RE.search(text):
            dropped.append(f'idiom: "{words}" ("{idiom.group(0)}")')
            return None
        if kind == "harm_other" and _GAMING_RE.search(sentence):
            dropped.append(f'game talk: "{words}"')
            return None
    if kind == "hostility":
        rep = _REPORTED_RE.search(text[max(c0 - 40, 0, s0) : m.start()]) or _REPORTED_RE.search(before)
        if rep:
            dropped.append(f'reported, not written at anyone: "{words}" ("{rep.group(0)}")')
            return None
        if rule.joke_prone and _GAMING_RE.search(sentence):
            dropped.append(f'game talk: "{words}"')
            return None
    return Hit(kind, rule.label, words, person)


def find_hits(raw: str) -> tuple[list[Hit], list[str]]:
    """All vetted hits for a message, plus the reasons hits were dropped."""
    norm = normalize(raw)
    text = norm.text
    dropped: list[str] = []
    if norm.quoted_lines:
        dropped.append(f"ignored {norm.quoted_lines} quoted line(s)")
    for lyric in norm.masked_lyrics:
        dropped.append(f'quoted lyric/film line ignored: "{lyric[:40]}"')
    ctx = _Context(text, _spans(text, _SENT_END_RE), _spans(text, _CLAUSE_END_RE), bool(_RECOVERY_RE.search(text)))
    hits = _scan(ctx, dropped)
    if norm.quoted:
        # A quoted post counts as the writer's own when they agree with it
        # ("> anyone else just waiting to die?" / "yeah. every day"), or when the
        # writer is alarmed about its author ("has anyone heard from Dan??").
        alarmed = any(h.kind == "welfare" for h in hits)
        if alarmed or _AFFIRM_RE.search(text):
            qtext = normalize(norm.quoted).text
            qctx = _Context(qtext, _spans(qtext, _SENT_END_RE), _spans(qtext, _CLAUSE_END_RE), False)
            qdropped: list[str] = []
            quoted_hits = [h for h in _scan(qctx, qdropped) if h.kind not in FLAG_KINDS]
            person = "third" if alarmed else "first"
            hits += [Hit(h.kind, f"{h.label} (quoted post)", h.words, person) for h in quoted_hits]
    if _PROFESSIONAL_RE.search(text):
        hits = [h for h in hits if h.kind != "practical"]
        dropped.append("practical: writer is asking as a professional")
    return hits, dropped


FLAG_KINDS = frozenset({"hostility", "substance", "practical"})
_MAX_MATCHES_PER_RULE = 12


def _scan(ctx: _Context, dropped: list[str]) -> list[Hit]:
    hits: list[Hit] = []
    present = _present(ctx.text)
    for rule, pattern, needs in _FILTERED:
        if needs and needs.isdisjoint(present):
            continue  # it cannot match without one of these words
        # Vetting reads the whole sentence, so cap the matches per rule: a pasted wall of
        # repeated words must not cost (matches x sentence length).
        for n, m in enumerate(pattern.finditer(ctx.text)):
            if n >= _MAX_MATCHES_PER_RULE:
                break
            hit = _vet(rule, m, ctx, dropped)
            if hit is not None:
                hits.append(hit)
    return hits


def _first(hits: list[Hit], *kinds: str) -> Hit | None:
    return next((h for h in hits if h.kind in kinds), None)


def _q(h: Hit) -> str:
    return f'{h.label} ("{h.words}")' + (" [third person]" if h.person == "third" else "")


_DESPAIR_LABELS = frozenset({"hopelessness", "distress signal", "feels like a burden"})


def _concept_crisis(
    means: Hit | None,
    place: Hit | None,
    time: Hit | None,
    finality: Hit | None,
    finals: set[str],
    farewell: Hit | None,
    ideation: Hit | None,
    despair: Hit | None,
    act_like: Hit | None,
    denial: Hit | None,
) -> list[str]:
    """Crisis from two concepts together: the v2 combinations.

    A place, an arrangement or a means is ordinary on its own; the message is
    urgent when it comes with another concept: finality with a time, a place
    with a goodbye or ideation, means with despair, two separate arrangements.
    """
    if denial:
        return []
    if means and despair:
        return [f"crisis: {_q(means)} with {_q(despair)}"]
    if place:
        other = finality or farewell or act_like
        if other:
            return [f"crisis: {_q(place)} with {_q(other)}"]
    if finality:
        other = time or means or farewell or ideation or act_like or despair
        if other:
            return [f"crisis: {_q(finality)} with {_q(other)}"]
        if len(finals) >= 2:
            return ["crisis: putting affairs in order (" + ", ".join(f'"{w}"' for w in sorted(finals)) + ")"]
    return []


def _on_an_errand(text: str, place: Hit, with_means: bool = False) -> bool:
    """The place is where the writer (or their group) is going about ordinary business: "walked over the bridge to
    the shops", "meeting at the quarry car park at 10.30 for the walk". With means taken there, a drive or a walk is
    no errand ("drove up to the reservoir with the tablets in my bag")."""
    if _GAMING_RE.search(text) or _GROUP_OUTING_RE.search(text):
        return True
    for sent in _SENTENCE_RE.split(text):
        if place.words not in sent:
            continue
        sent = sent.replace(place.words, " ")  # "car park" is not parking
        if _FICTION_RE.search(sent) or _GROUP_PLAN_RE.search(sent):
            return True
        if not with_means and any(not m.group(0).startswith(_MOVING) for m in _ERRAND_RE.finditer(sent)):
            return True
    return False


def decide(hits: list[Hit], text: str = "") -> tuple[str, list[str]]:
    """Risk level from the surviving hits, with the reasons that decided it (``text``, the normalised message, lets
    a place with a time be told from an errand)."""
    reasons: list[str] = []
    kinds = {h.kind for h in hits}
    denial = _first(hits, "denial")

    for kind in ("act", "intent", "goodbye", "harm_other"):
        h = _first(hits, kind)
        if h:
            reasons.append(f"crisis: {_q(h)}")
    ideation = next((h for h in hits if h.kind in ("ideation", "passive") and h.person == "first"), None)
    any_ideation = _first(hits, "ideation", "passive")
    means, time = _first(hits, "means"), _first(hits, "time")
    farewells = {h.words for h in hits if h.kind == "farewell"}
    farewell = _first(hits, "farewell")
    self_harm = next((h for h in hits if h.kind == "concern" and h.label == "self-harm"), None)
    risky_context = ideation or means or self_harm
    distress = sum(_CONCERN_WEIGHT.get(h.kind, 0) for h in hits if h.kind not in ("farewell", "means"))
    substance = _first(hits, "substance")
    place = next((h for h in hits if h.kind == "place" and h.person == "first"), None)
    their_place = next((h for h in hits if h.kind == "place" and h.person == "third"), None)
    finals = {h.words for h in hits if h.kind == "finality"}
    finality = _first(hits, "finality")
    despair = next((h for h in hits if h.kind == "concern" and h.label in _DESPAIR_LABELS), None)
    act_like = _first(hits, "ambiguous_act")

    threats = [h for h in hits if h.kind == "hostility" and h.label == "threat of violence"]
    threat = threats[0] if threats else None
    if not reasons and threat and (time or len({h.words for h in threats}) >= 2) and text and not denial:
        armed = _ARMED_RE.search(text)
        if armed:
            # A threat to hurt someone with a weapon at hand and a when ("gonna hurt the lad... got a bat in the boot.
            # tonight after school club"), or with a weapon and a second threat that spells out the harm ("he'll be in
            # hospital by the weekend. Knuckleduster's ready.").
            second = f'a time ("{time.words}")' if time else f'"{threats[-1].words}"'
            reasons.append(f'crisis: {_q(threat)} with a weapon ("{armed.group(0)}") and {second}')
    alarm = _first(hits, "welfare", "farewell", "goodbye", "finality")
    some_place = their_place or (place if place and not _on_an_errand(text, place) else None)
    weak = alarm is not None and alarm.label == "has gone quiet"  # "he hasn't replied about Sunday lunch"
    if weak and some_place is their_place and their_place and _on_an_errand(text, their_place):
        some_place = None
    if not reasons and some_place and alarm and not denial:
        # Issue 20, sixth round: someone else at a place of harm, and the writer alarmed about them ("his phone shows
        # him at the multistorey… he said he's done with all of it", "a photo of himself at the viaduct… anyone near
        # Stockport??").
        reasons.append(f"crisis: {_q(some_place)} with {_q(alarm)}")
    if (
        not reasons
        and place
        and (time or means)
        and place.person == "first"
        and not denial
        and "hostility" not in kinds  # "go jump off a bridge, you moron" is an insult
        and not (
            _JOKE_RE.search(text) and not _SERIOUS_RE.search(text)
        )  # "haha… the whole hotel in the car park at 2am"
        and (time or (means and means.words not in place.words and place.words not in means.words))
        and not _on_an_errand(text, place, with_means=not time)
    ):
        # Issue 20, fifth round: a place named with a when, or with a sign that nobody will be about, or with means
        # taken there, and nothing else ("The canal by the estate. After mum's gone to church Sunday morning.").
        other = time or means
        assert other is not None
        reasons.append(f'crisis: {_q(place)} with {"a time or nobody about" if time else "means"} ("{other.words}")')
    errand = bool(place) and place is not None and _on_an_errand(text, place)
    if not reasons:
        reasons = _concept_crisis(
            means, place, time, finality, finals, farewell, any_ideation, despair, act_like, denial
        )
    if not reasons:
        if (ideation or any_ideation) and means and not denial:
            who = ideation or any_ideation
            assert who is not None
            reasons.append(f"crisis: {_q(who)} with means/plan ({_q(means)})")
        elif ideation and ideation.kind == "ideation" and time and not denial:
            reasons.append(f'crisis: {_q(ideation)} with a time ("{time.words}")')
        elif means and (time or farewell) and not denial and not (place and place.words in means.words and errand):
            # (round 8: "going to the bridge" is the place again; an errand there is no means)
            other = time or farewell
            assert other is not None
            reasons.append(f'crisis: {_q(means)} with "{other.words}"')
        elif farewell and time and time.label == "a day on its own":
            reasons.append(f'crisis: goodbye cue ("{farewell.words}") with a day on its own ("{time.words}")')
        elif len(farewells) >= 2:
            reasons.append("crisis: goodbye cues (" + ", ".join(f'"{w}"' for w in sorted(farewells)) + ")")
        elif farewell and risky_context:
            reasons.append(f'crisis: goodbye cue ("{farewell.words}") with {_q(risky_context)}')
        elif "ambiguous_act" in kinds and (risky_context or farewell or distress >= 2 or substance):
            act = _first(hits, "ambiguous_act")
            other = risky_context or farewell or substance or next(h for h in hits if h.kind in _CONCERN_WEIGHT)
            if act and other:
                reasons.append(f'crisis: "{act.words}" with "{other.words}"')
        elif "welfare" in kinds and (any_ideation or farewell or means or finality):
            quiet = _first(hits, "welfare")
            other = any_ideation or farewell or means or finality
            if quiet and other:
                reasons.append(f'crisis: "{quiet.words}" after "{other.words}"')
    if reasons:
        for extra in (means, time):
            if extra and extra.words not in " ".join(reasons):
                reasons.append(f"context: {_q(extra)}")
        if denial:
            reasons.append(f'noted but not decisive: denial ("{denial.words}")')
        return "crisis", reasons

    # The same words can match a weak and a strong rule: count them once, at the higher weight.
    best: dict[str, Hit] = {}
    for h in hits:
        w = _CONCERN_WEIGHT.get(h.kind, 0)
        if w and (h.words not in best or w > _CONCERN_WEIGHT[best[h.words].kind]):
            best[h.words] = h
    score = 0
    for h in best.values():
        w = _CONCERN_WEIGHT[h.kind]
        score += w
        reasons.append(f"{'concern' if w > 1 else 'distress'}: {_q(h)}")
    if score >= 2:
        if denial:
            reasons.append(f'denial keeps it below crisis ("{denial.words}")')
        return "concern", reasons
    return "none", reasons


_URGENCY = {"crisis": 2, "concern": 1, "none": 0}


# Reasons the rules dropped a match that are clear enough to cap the learned lexicon: a negation, a joke or idiom,
# an ordinary plan or goodbye, a supportive reply, a film. The model may then lift the level to concern, not crisis.
VETO_PREFIXES = (
    "negated:",
    "joke:",
    "idiom:",
    "hyperbole",
    "an ordinary",
    "mortality in general",
    "addressed to the reader",
    "aimed at the reader",
    "film/news",
    "means put out of reach",
    "game talk",
    "taken as prescribed",
)


# ------------------------------------------------------------------------------------------------ ordinary context
# Two kinds of context in which words from the territory of harm are not a plan, so the learned lexicon may find
# concern in the message (a person reaches out) but must not raise the alarm. They are concepts, not phrases:
#
# * a safety step: means put out of reach ("binned the razors", "gave my tablets to my partner to hold") with
#   nothing kept back, or help sought and the writer safer for it ("rang the helpline, feeling calmer");
# * an everyday errand at a place: the bridge, the car park or the cliffs as the setting of an ordinary activity
#   (parking, a commute, a walk, the shopping), when nothing else in the message speaks of harm.
#
# Neither touches the rules' own answer: a goodbye, an intent or a time next to them still counts as it did.
_SAFETY_MEANS_RE = re.compile(rf"\b{lx.MEANS_NOUN}|\b(?:stash|supply|stockpile|the lot|all of them|my stuff)\b")
_PUT_AWAY_RE = re.compile(
    r"\b(?:in the (?:bin|outside bin|wheelie bin|sharps bin)|binned|bin(?:ned)? (?:them|it|the lot)|"
    r"(?:threw|thrown|chucked|tipped) (?:them |it |the \w+ |my \w+ |\w+ )?(?:away|out)|got rid|getting rid|"
    r"handed (?:\w+ ){0,4}?(?:in|over)\b|(?:took|taken|returned) (?:them |it |the \w+ )?(?:back )?to the (?:pharmacy|chemist)|"
    r"gave (?:them|it|the \w+|my \w+) to (?:my|the|our)\b[^.!?\n]{0,30}\b(?:keep|hold|look after|lock|mind)|"
    r"(?:asked|got) (?:my |our )?\w+ to (?:keep|hold|look after|lock up|mind|dole out|give me)|"
    r"locked (?:them |it |\w+ )?(?:away|up)|flushed|poured (?:them |it |\w+ )?(?:away|down))"
)
_KEPT_BACK_RE = re.compile(
    r"\b(?:kept|keeping|saved|hid|hidden|hiding|except|apart from|still (?:got|have)|ive still|spare|another one|"
    r"bought (?:more|new|another))\b"
)
_HELP_SOUGHT_RE = re.compile(
    r"\b(?:rang|called|phoned|texted|messaged|spoke to|talked to|went to see) (?:the |my |a )?(?:samaritans|shout|"
    r"helpline|crisis (?:line|team)|gp|doctor|therapist|care coordinator|key worker|111|sponsor|peer worker)\b"
)
_SAFER_RE = re.compile(
    r"\b(?:(?:feel|feeling|felt) (?:a (?:bit|little|lot) |bit |much |loads )?(?:better|calmer|safer|lighter)|"
    r"(?:im|i am|staying|feel|feeling|will be|ill be) (?:ok|okay|safe)(?: now| tonight| for now)?|"
    r"one day at a time|safety plan|got through (?:it|the night|today))\b"
)
_ERRAND_RE = re.compile(
    r"\b(?:park(?:ed|ing)?|parks|drove|driving|drive to|cycl\w*|bike|walk(?:ed|ing)? (?:the dog|over|across|along|"
    r"past|under|by|round|to)|(?:ran|jogged|running) (?:over|across|along|past|round)|commut\w*|shopping|the shops|"
    r"supermarket|tesco|asda|aldi|lidl|sainsburys|lifts?|escalators?|stairs|ticket|pay and display|traffic|"
    r"delayed|cancelled|late for|school run|picnic|views?|fishing|with the (?:kids|dog|grandkids|bairns|weans)|"
    r"for work|to work|at work|my shift|roadworks|queue\w*|sat nav|photos?|spaces?)\b"
)
_HARM_KINDS = frozenset(_RISK_KINDS) - {"place"}
# Sentences, with a full stop between digits ("at 8.15") kept inside.
_SENTENCE_RE = re.compile(r"(?:(?<!\d)[.]|[!?\n])+|[.](?!\d)")
# Going somewhere is not an errand in itself (walking there now, driving up tonight); a walk told in the past tense
# is ("walked the dog along the canal").
_MOVING = ("walk ", "walking", "running", "jogging", "cycling", "drive", "driving", "lift", "stairs", "escal")
_GROUP_OUTING_RE = re.compile(
    r"\bready for\b|\b(?:bridge|river|canal|cliff|coast|coastal|sponsored|charity|group|family|dog|nature|guided|"
    r"history|heritage) (?:walks?|runs?|swims?|rides?|trips?)\b|"
    r"\b(?:had|went for|been for|did|done) (?:a|my|our) (?:[a-z]+ ){0,2}?(?:walk|run|swim|stroll|ride|paddle)\b"
)
_GROUP_PLAN_RE = re.compile(
    r"\b(?:we|were|us|lets|meet|meeting|meet up|join|club|group|tour|trip|outing|rehearsal|practice|service|"
    r"match|race|swim|charity|class|lesson|appointment|shift|delivery|deliveries|job|work|fishing|photos?|views?|closed|"
    r"repairs?|roadworks|diversion|eating|chips|ice cream|coffee|lunch|breakfast|picnic|sunbathing|paddling|gutters?|"
    r"ladder|fixing|painting|cleaning|clearing|cinema|theatre|gym|pool|concert|gig|restaurant|pub|cafe|shops?|dentist|"
    r"market|football|rugby|parkrun|ferry|bus)\b"
    # Round 8: an open invitation or a volunteering job ("… for the litter pick with the council, anyone coming?").
    r"|\b(?:any(?:one|body) (?:coming|fancy|want to come|wanna come|joining|up for)|who(?:s| is) (?:coming|in|up for)|"
    r"fancy (?:coming|joining)|come along|litter ?picks?|litter picking|volunteer\w*|clean ?up)\b"
)
# "took ages", "taking forever": a length of time, not a dose.
_DURATION_RE = re.compile(
    r"\b(?:took|takes|taking|take) (?:ages|forever|a while|an age|hours|ten minutes|half an hour)\b"
)


# Sorry for not coming: "Sorry lads, can't make tonight, got the kids", "sorry everyone, I can't come tonight, my son has
# a fever". The learned lexicon reads "sorry" + "tonight" + "can't" as a goodbye (P crisis 0.96-1.00).
_ABSENCE_RE = re.compile(
    r"\b(?:cant|cannot|can not|wont|will not|not able to|unable to|wont be able to|couldnt|could not|not going to be "
    r"able to) (?:make it|make (?:tonight|today|tomorrow|it|the|this|group|class)|come (?:tonight|today|tomorrow|"
    r"to (?:the|group|class|church|mosque|chapel|the meeting)|this (?:week|time|evening)|on \w+day|along)|be there|be at|"
    r"be on (?:the|tonight)|join (?:you|us|in|tonight)|attend|get there|get to (?:the|group|class)|do tonight|"
    r"do (?:the|this|our) (?:meeting|quiz|session|class|group|shift|call))\b|\b(?:sorry|apologies)\b[^.!?\n]{0,30}\b(?:went|gone|been|was) (?:quiet|awol|offline|"
    r"missing)\b[^.!?\n]{0,12}\b(?:i|been|because|cos|as|work|busy|got|had)\b"
)


_APOLOGY_RE = re.compile(r"\b(?:sorry|apologies|apologise|unfortunately|gutted|sadly|afraid)\b")


def ordinary_context(text: str, hits: list[Hit], territory: re.Pattern[str] | None = None) -> list[str]:
    """Notes for staff (and the model's gate) when harm words sit in a safety step or an everyday errand.

    ``territory`` is the gate's list of harm words: an errand counts only when the place is the message's one word
    from that territory ("parked on the top floor again, lifts were broken"); "parked up at the quarry with the
    engine running" or "on the top deck of the car park, can't see the point" are not errands.
    """
    notes: list[str] = []
    kinds = {h.kind for h in hits}
    sentences = [s.strip() for s in _SENT_END_RE.split(text) if s.strip()]
    if not kinds & {"intent", "act", "goodbye", "harm_other"}:
        for sent in sentences:
            means, put = _SAFETY_MEANS_RE.search(sent), _PUT_AWAY_RE.search(sent)
            if means and put and not _KEPT_BACK_RE.search(sent):
                notes.append(f'safety step, means put away: "{means.group(0)}" ("{put.group(0)}")')
                break
        else:
            helped = _HELP_SOUGHT_RE.search(text)
            safer = _SAFER_RE.search(text) if helped else None
            if helped and safer:
                notes.append(f'safety step, help sought: "{helped.group(0)}" ("{safer.group(0)}")')
    sorry = _APOLOGY_RE.search(text)
    absence = [s for s in sentences if _ABSENCE_RE.search(s)] if sorry else []
    if absence:
        # An apology for not coming, and nothing outside those sentences that touches harm (the rules' own answer
        # is untouched: a goodbye or an act inside them still counts).
        rest = text
        for sent in absence:
            rest = rest.replace(sent, " ")
        outside = [h for h in hits if h.kind in _HARM_KINDS and h.words in rest]
        if (
            not outside
            and not kinds & {"intent", "act", "goodbye", "harm_other"}
            and (territory is None or not territory.search(rest))
        ):
            found = next(m for m in map(_ABSENCE_RE.search, absence) if m)
            notes.append(f'apology for absence: "{found.group(0)}"')
    place = next((h for h in hits if h.kind == "place" and h.person == "first"), None)
    if place and not kinds & _HARM_KINDS:
        # Blank (same length, so offsets still hold) the place words and lengths of time; what is left must not
        # touch the territory of harm.
        rest = _DURATION_RE.sub(lambda m: " " * len(m.group(0)), text)
        for h in hits:
            if h.kind == "place":
                rest = rest.replace(h.words, " " * len(h.words))
        if territory is None or not territory.search(rest):
            for sent in sentences:
                if place.words not in sent:
                    continue
                errand = _ERRAND_RE.search(rest[text.index(sent) : text.index(sent) + len(sent)])
                if errand:
                    notes.append(f'everyday errand at a place: "{place.words}" ("{errand.group(0)}")')
                    break
    return notes


# Notes that cap the learned lexicon (see ``ordinary_context``): its crisis evidence counts only towards concern.
CAP_PREFIXES = ("safety step", "everyday errand", "apology for absence")
# Caps that also keep a message out of the review band: nothing in it needs a person's eyes.
ORDINARY_CAPS = ("everyday errand", "apology for absence")


def capped(reasons: list[str] | tuple[str, ...]) -> str:
    """The cap a note puts on the learned lexicon: "safety step", "everyday errand" or ""."""
    return next((p for r in reasons for p in CAP_PREFIXES if r.startswith(p)), "")


def vetoed(dropped: list[str] | tuple[str, ...], norm_text: str = "") -> bool:
    """True when the rules saw a clear reason to discount risk words (or an ordinary plan spelled out)."""
    return any(d.startswith(VETO_PREFIXES) for d in dropped) or bool(_MUNDANE_PLAN_RE.search(norm_text))


def combine(
    rules_risk: str, probs: dict[str, float], thresholds: dict[str, float], veto: bool = False
) -> tuple[str, str]:
    """The default risk: the more urgent of the rules and the learned lexicon when it is confident.

    The model says crisis when P(crisis) reaches ``thresholds["crisis"]`` and concern when
    P(crisis) + P(concern) reaches ``thresholds["risk"]``. A rules veto (see ``VETO_PREFIXES``)
    caps the model at concern. Returns (risk, which side decided: "rules", "model" or "both").
    """
    p_crisis = probs.get("crisis", 0.0)
    p_risk = p_crisis + probs.get("concern", 0.0)
    if p_crisis >= thresholds.get("crisis", 1.01):
        model_risk = "crisis"
    elif p_risk >= thresholds.get("risk", 1.01):
        model_risk = "concern"
    else:
        model_risk = "none"
    if veto and model_risk == "crisis":
        model_risk = "concern"
    r, m = _URGENCY[rules_risk], _URGENCY[model_risk]
    if m > r:
        return model_risk, "model"
    return rules_risk, "rules" if r > m else "both"
