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
import re
import sys
from dataclasses import dataclass
from typing import TextIO

from . import model as _model
from .normalize import normalize
from .rules import ORDINARY_CAPS, capped, combine, decide, find_hits, ordinary_context, vetoed

__all__ = ["FLAGS", "RISKS", "TriageResult", "classify", "classify_rules", "run_jsonl"]

RISKS = ("crisis", "concern", "none")
FLAGS = ("hostility", "substance", "practical")


@dataclass(frozen=True)
class TriageResult:
    """The triage outcome for one message."""

    risk: str
    flags: tuple[str, ...]
    reasons: tuple[str, ...]
    # The "please look" band: not an alarm, but uncertain enough that a person should read it soon
    # (the moderation queue). Never set on a crisis, which already alerts.
    review: bool = False


# The learned lexicon may only raise the level of a message of at least a few words on
# which its own evidence points away from "none". Without this it read ordinary chat
# ("Love this!", "Thanks for being here") as crisis: on a few words its probabilities sit
# near the training mix, and that mix is above the crisis threshold. The rules still see
# every message; this only limits when the model may add to them.
MIN_WORDS_FOR_MODEL = 5
# To raise a message to *concern* it must at least speak of distress in some way.
_DISTRESS_WORDS = re.compile(
    r"\b(?:tired|exhausted|sad|low|down|alone|lonely|isolated|empty|numb|worthless|useless|hopeless|burden|"
    r"cry\w*|tears|struggl\w*|cope|coping|hate|scared|afraid|anxious|anxiety|panic\w*|sleep\w*|eat\w*|"
    r"pain|lost|miss\w*|wish|feel\w*|felt|anymore|any more|nothing|nobody|no one|point|worse|broken|"
    r"dark|bad|awful|horrible|rough|shit|crap|relaps\w*|urges?|unsafe|safe|stopp\w* my|meds|depress\w*|"
    r"failure|fail\w*|mess|can ?t|cannot|why|stuck|trapped|grief|griev\w*)\b"
)
# To raise a message to *crisis* (a live alert to staff) the message must also touch the
# territory of harm: death and endings, means and methods, places people go to die, a time or
# a decision, goodbyes and arrangements. Broad on purpose: the model decides, this only keeps
# it from alerting on a message with nothing of the kind in it.
_CRISIS_TERRITORY = re.compile(
    r"\b(?:die[ds]?|dying|dead|death|suicid\w*|kill\w*|end\w*|alive|living|life|hurt\w*|harm\w*|cut\w*|"
    r"pills?|tablets?|paracetamol|meds|overdos\w*|od|took|taken|taking|take|box|packet|bottle|whole|lot|stash|"
    r"jump\w*|bridge|footbridge|viaduct|rope|belt|ligature|hose|hang\w*|knife|knives|blades?|razors?|lighter|"
    r"burn\w*|hammer|guns?|weapon\w*|river|sea|train|railway|tracks|quarry|cliffs?|roof|top floor|multi ?storey|"
    r"ledge|motorway|lay by|garage|exhaust|petrol|tonight|tonite|tomorrow|today|now|friday|weekend|date|after|"
    r"when|goodbye|bye|farewell|last|final|forever|permanently|for good|won ?t be|wont be|won ?t hear|"
    r"not be here|gone|peace|decided|decision|ready|courage|guts|working up|sorry|love you|look after|"
    r"don ?t blame|dont blame|don ?t try|dont try|don ?t call|dont call|don ?t come|note|letters?|will|"
    r"keys|passwords?|rehom\w*|sorted|research|plan\w*|bought|location|anymore|any more|point|done|"
    r"enough|nobody|no one|miss me|better off|burden|hopeless\w*|can ?t|cannot|scared|unsafe)\b"
)


# The learned flag heads may add a flag only to a message that speaks its language at all. Without this the
# hostility head read kind replies ("Glad you're here. No need to say more than you want to.") as hostile and the
# substance head read "clay cracking as it dries" as drugs. Broad lists: the head decides, these only keep it off
# messages with nothing of the kind in them.
_HOSTILE_WORDS = re.compile(
    r"\b(?:idiot\w*|stupid|moron\w*|pathetic|loser\w*|fake|liar|lying|troll\w*|snowflake|muppet|cow|bitch\w*|prick|"
    r"twat|dick\w*|wank\w*|scum\w*|vermin|animals|parasites?|freaks?|disgusting|ugly|fat|thick|dumb|clowns?|shut up|"
    r"get lost|piss\w*|fuck\w*|shit\w*|crap|hate|deserves?|die|kill\w*|hurt|batter\w*|smash\w*|punch\w*|stab\w*|"
    r"burn\w*|beat|glass\w*|grow up|attention seek\w*|scroung\w*|spongers?|go back|your kind|you people|people like|"
    r"all the same|ruin\w*|sick of|nobody (?:asked|wants|cares)|who asked|get off|give it a rest|joke|waste of|useless|"
    r"worthless|creep\w*|pervert\w*|nonce|grass|snitch|rats?|keyed?|watch your|warning|or else|find you|where you live|"
    r"slag|whore|tramp|retard\w*|cripple|spastic|queer|tranny|paki|gypo|pikey|terrorists?|immigrants?|foreigners?|"
    r"embarrassment|disgrace|selfish|lowlife|spineless|manners|stubborn|scamm\w*|lazy|bullshit|bs|gob|mouth|face|"
    r"loser|weirdo|nutter|psycho|mental|filth\w*|rubbish|threat\w*|sort you|sort him|sort her|regret|pay for|"
    # issue 20, fifth round: Scots, Irish, prison and faith-group words of contempt
    r"toerag\w*|numpt\w*|eejit\w*|fann(?:y|ies)|bawbag\w*|bampot\w*|header|wagon|rocket|sleekit|hypocrit\w*|"
    r"gossip\w*|cheat\w*|bull(?:y|ies)|snob\w*|fraud\w*|snakes?|mug|coconuts?|smackhead\w*|junkie\w*|heretic\w*|"
    r"apostate\w*|abomination\w*|bigot\w*|dinlo\w*|catch yourself on|geggie|bake|huns?|gyppo\w*|taigs?|fenians?|"
    # issue 20, sixth round: contempt for a group and names said to a person's face
    r"dirty|criminals?|thieves|weasel\w*|dogs?|donkey\w*|stink\w*|skank\w*|prats?|know.it.all|condescending|"
    r"sanctimonious|self.righteous|kafir\w*|belongs?|kicked out|ban|psychopath\w*|aspie\w*|crackhead\w*|teeth|"
    r"see what happens|send them|deport\w*)\b"
)
_SUBSTANCE_WORDS = re.compile(
    r"\b(?:drink\w*|drank|drunk\w*|booze\w*|alcohol\w*|wine|beers?|cans|pints?|vodka|whisk\w*|gin|cider|rum|lager|"
    r"spirits|sober\w*|sobriety|relaps\w*|using|used|use|weed|cannabis|skunk|spliffs?|joints?|smok\w*|coke|cocaine|"
    r"crack|ket|ketamine|mdma|pills?|benzos?|valium|diazepam|xanax|codeine|opioids?|opiates?|heroin|gear|spice|"
    r"methadone|subutex|script|high|stoned|wasted|hungover|hangover|withdraw\w*|detox|rehab|dealers?|bender|binge\w*|"
    r"tina|g|poppers|lean|nos|vapes?|tramadol|pregab\w*|oramorph|morphine|sleepers|sleeping tablets|tablets|meds|"
    r"bottle|bottles|units|shots?|bevvy|buckie|steamin|skinful|off my face|on it|pub|bar|offie|dry|clean|aa|na|"
    # issue 20, sixth round
    r"khat|qat|hash|lyrica|bumps?|lines|pipe|stash|mouthwash|zopiclone|clonazepam|study drugs|self.?medicat\w*|"
    r"pickups?|scripts?|bags?|rattling|clucking|picked up|slipped)\b"
)


# Months or years clean or sober, with nothing that says the writer is using now (issue 20, sixth round).
_LONG_SOBER = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|a few|many) (?:years?|months?|yrs?)"
    r"\b[^.!?\n]{0,20}\b(?:clean|sober|dry|without (?:a )?(?:drink|drinking|drugs|using)|no (?:drinking|drink|using)|"
    r"off (?:the )?(?:drink|booze|gear|drugs))\b|\b(?:clean|sober) (?:for )?(?:\d+|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|a few|many) (?:years?|months?)\b|\brecovery birthday\b|\b(?:no drinking|no pills|no drugs), "
    r"no (?:pills|drinking|drugs)\b"
)
_USING_NOW = re.compile(
    r"\b(?:relaps\w*|slipped|slip|picked up|pick up|drank|drunk|using again|used again|drinking again|craving\w*|"
    r"urges?|tempt\w*|hungover|hangover|again)\b"
)


@dataclass(frozen=True)
class ModelGate:
    """What the learned lexicon may do for one message, from its words and the rules' answer."""

    words: int  # how many words the normalised message has
    distress: bool  # it speaks of distress in some way
    territory: bool  # it touches the territory of harm (needed to raise crisis)
    veto: bool  # the rules discounted risk words on purpose (a negation, a joke, an ordinary plan)
    # "safety step" (means put away, help sought) or "everyday errand" (a place as the setting of an errand): the
    # model's crisis evidence counts only towards concern; an errand is not sent to review either.
    cap: str = ""
    hostile: bool = True  # words of contempt or aggression: the learned hostility head may add its flag
    using: bool = True  # words of drink or drugs: the learned substance head may add its flag


def model_gate(norm: str, base: TriageResult, flags: bool = True) -> ModelGate:
    """The gate for one message; ``flags=False`` leaves the flag vocabularies unread (``classify`` reads them only
    when a learned flag head would add its flag)."""
    return ModelGate(
        words=len(norm.split()),
        distress=bool(_DISTRESS_WORDS.search(norm)),
        territory=bool(_CRISIS_TERRITORY.search(norm)),
        veto=vetoed(base.reasons, norm),
        cap=capped(base.reasons),
        hostile=not flags or _speaks_of("hostility", norm),
        using=not flags or _speaks_of("substance", norm),
    )


def _speaks_of(flag: str, norm: str) -> bool:
    words = {"hostility": _HOSTILE_WORDS, "substance": _SUBSTANCE_WORDS}.get(flag)
    if flag == "substance" and _LONG_SOBER.search(norm) and not _USING_NOW.search(norm):
        return False  # "ten years without a drink today": recovery told from a distance, not use
    return words is None or bool(words.search(norm))


def flag_allowed(flag: str, gate: ModelGate) -> bool:
    """May the learned head add this flag to the message (its language is there at all)?"""
    return {"hostility": gate.hostile, "substance": gate.using}.get(flag, True)


def decide_with_model(
    rules_risk: str,
    probs: dict[str, float],
    gate: ModelGate,
    thresholds: dict[str, float],
    min_words: int = MIN_WORDS_FOR_MODEL,
    without_one_word: float | None = None,
) -> tuple[str, str, bool]:
    """The rules' risk combined with the model's probabilities: (risk, deciding side, review).

    The side is "gate" when the model was not allowed to add anything (too few words, nothing about harm
    or distress, or its own evidence says "none"), "held" when the model raised the alarm on a message with no
    word from the territory of harm (from the higher "alarm_gated" threshold), else what ``rules.combine`` says.

    *review* is the wide "please look" band: the alarm did not go off, but P(crisis) reached the review
    threshold, so a person should read the message within the hour (the moderation queue), not later.
    *without_one_word* is P(crisis) with the one word that carries it taken out
    (``LearnedLexicon.without_one_word``); when it is below the alarm's threshold, the model's alarm rests on one
    word ("Evening. Just here to listen tonight.") and the model may say concern at most. ``None``: not known yet
    (``classify`` works it out only when the model would raise the alarm).

    This is the one decision function: ``classify`` and the cross-validation in ``training`` both use it.
    """
    if without_one_word is not None and without_one_word < thresholds.get("one_word", thresholds.get("crisis", 1.01)):
        thresholds = {**thresholds, "crisis": 1.01, "alarm_gated": 1.01}
    # The review band has two thresholds. A message that speaks of both harm and distress, and that the rules did
    # not discount, is reviewed from the lower one ("review"). Any other message of five words or more is reviewed
    # from the higher one ("review_gated"): the gate keeps the model from raising its level, but a crisis with no
    # word from our lists ("gave my switch and all my games to my flatmate…") or one the rules misread as negated
    # ("I'm not doing it. I've taken the pills…") still meets a person within the hour. An errand never is.
    both = gate.territory and gate.distress and not gate.veto
    band = thresholds.get("review", 1.01) if both else thresholds.get("review_gated", 1.01)
    review = (
        gate.words >= min_words and gate.cap not in ORDINARY_CAPS and rules_risk != "crisis" and probs["crisis"] >= band
    )
    # The alarm has two thresholds too. A message with no word from the territory of harm raises the alarm only
    # when the model is far more sure ("alarm_gated", chosen so that the alarms it adds keep the alarm's
    # precision): belongings given away with a thank-you, a brother's status that asks forgiveness. The rules'
    # vetoes (a negation, a joke, an ordinary plan) still hold: those messages can only go to review.
    if (
        not gate.territory
        and not gate.veto
        and gate.words >= min_words
        and not gate.cap
        and rules_risk != "crisis"
        and probs["crisis"] >= thresholds.get("alarm_gated", 1.01)
    ):
        return "crisis", "held", False
    if gate.cap == "apology for absence":
        # "Sorry lads, can't make tonight, got the kids": sorry, tonight and can't are an apology, not a goodbye.
        return rules_risk, "gate", False
    if gate.words < min_words or not (gate.territory or gate.distress) or gate.veto:
        # Nothing about harm or distress in it, or the rules discounted its risk words on purpose (a negation,
        # a joke, means put away, an ordinary plan): below that threshold the model adds nothing to the level.
        return rules_risk, "gate", review
    if gate.cap:
        # A safety step or an errand: the model may still find concern in the message, but not an alarm.
        thresholds = {**thresholds, "crisis": 1.01}
    if probs["none"] >= max(probs["crisis"], probs["concern"]):
        return rules_risk, "gate", review  # the model's own evidence says nothing is wrong
    risk, side = combine(rules_risk, probs, thresholds, not gate.territory)
    return risk, side, review and risk != "crisis"


def _learned(lex: _model.LearnedLexicon, text: str, base: TriageResult) -> tuple[str, tuple[str, ...], list[str], bool]:
    """Combine the rules' answer with the learned lexicon's; returns risk, flags, the model's reasons, review."""
    risk, flags = base.risk, base.flags
    norm = normalize(text).text
    gate = model_gate(norm, base, flags=False)
    if gate.words < lex.min_words:
        return risk, flags, [], False
    feats = _model.features(norm)
    if not feats:
        return risk, flags, [], False
    pred = lex.predict(norm, explain=0, feats=feats)
    new_risk, side, review = decide_with_model(risk, pred.probs, gate, lex.thresholds, lex.min_words)
    one_word = ""
    if new_risk == "crisis" and side in ("model", "held"):
        # The model would raise the alarm: does it rest on one word? (Worked out only here: it is rare.)
        p_without, word = lex.without_one_word(norm)
        new_risk, side, review = decide_with_model(risk, pred.probs, gate, lex.thresholds, lex.min_words, p_without)
        if new_risk != "crisis":
            one_word = f"not an alarm: the learned lexicon's alarm rests on one word ('{word}': p crisis {p_without:.2f} without it)"
    top = lex.explain(norm, new_risk, feats) if new_risk != "none" and side != "gate" else ()
    why = ", ".join(f"'{ngram}' +{w:.1f}" for ngram, w in top)
    p = pred.probs
    reasons: list[str] = []
    if side == "model":
        reasons.append(f"{new_risk}: learned lexicon (p crisis {p['crisis']:.2f}, concern {p['concern']:.2f}): {why}")
    elif side == "held":
        reasons.append(
            f"crisis: learned lexicon, very sure although none of the usual words of harm (p crisis {p['crisis']:.2f}, "
            f"concern {p['concern']:.2f}): {why}"
        )
    elif new_risk != "none" and side != "gate":
        reasons.append(
            f"learned lexicon agrees or defers (p crisis {p['crisis']:.2f}, concern {p['concern']:.2f}): {why}"
        )
    if one_word:
        reasons.append(one_word)
    if review:
        reasons.append(f"review: please look within the hour (learned lexicon p crisis {p['crisis']:.2f})")
    # A flag the rules dropped on purpose (someone else's drinking, a reported insult) stays dropped.
    kept_off = {f for f in FLAGS if any(r.startswith(("someone else", "reported")) and f in r for r in base.reasons)}
    if any(r.startswith("someone else") for r in base.reasons):
        kept_off.add("substance")
    if any(r.startswith("reported") for r in base.reasons):
        kept_off.add("hostility")
    added = tuple(
        f
        for f in FLAGS
        if f not in flags
        and f not in kept_off
        and pred.flag_probs[f] >= lex.thresholds.get(f, 1.01)
        and _speaks_of(f, norm)  # the flag's vocabulary, read only now
    )
    reasons += [f"{f}: learned lexicon (p {pred.flag_probs[f]:.2f})" for f in added]
    return new_risk, tuple(f for f in FLAGS if f in flags or f in added), reasons, review


def classify_rules(text: str) -> TriageResult:
    """The rules alone (no learned lexicon). Never raises for odd input."""
    if not isinstance(text, str):
        text = ""
    hits, dropped = find_hits(text)
    risk, reasons = decide(hits, normalize(text).text)
    notes = ordinary_context(normalize(text).text, hits, _CRISIS_TERRITORY)
    flag_hits = {h.kind: h for h in hits if h.kind in FLAGS}
    if "harm_other" in {h.kind for h in hits} and "hostility" not in flag_hits:
        flag_hits["hostility"] = next(h for h in hits if h.kind == "harm_other")
    flags = tuple(f for f in FLAGS if f in flag_hits)
    reasons += [f'{f}: {flag_hits[f].label} ("{flag_hits[f].words}")' for f in flags]
    reasons += dropped + notes
    return TriageResult(risk=risk, flags=flags, reasons=tuple(reasons))


def classify(text: str, lexicon: _model.LearnedLexicon | bool | None = True) -> TriageResult:
    """Classify one message: the rules plus the learned lexicon. Never raises for odd input.

    ``lexicon`` is the learned model to combine with (default: the shipped ``weights.json``);
    ``False`` gives the rules alone. If the weights file is missing the rules answer alone.
    """
    if not isinstance(text, str):
        text = ""
    base = classify_rules(text)
    lex = _model.load() if lexicon is True else lexicon or None
    if lex is None:
        return base
    risk, flags, extra, review = _learned(lex, text, base)
    # The deciding side's reasons come first: the model's when it lifted the level, the rules' otherwise.
    lifted = bool(extra) and extra[0].startswith(("crisis: learned", "concern: learned"))
    head, tail = (tuple(extra[:1]), tuple(extra[1:])) if lifted else ((), tuple(extra))
    return TriageResult(risk=risk, flags=flags, reasons=head + base.reasons + tail, review=review)


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
