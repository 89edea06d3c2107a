"""Training the learned lexicon, and judging it honestly: leave-one-set-out cross-validation.

Every labelled set is its own file written by its own author, in its own community's voice. A model is judged by
leaving each set out in turn, training on all the others, and scoring the left-out set with the rules *and* the
trained model exactly as ``classify`` combines them (same gate, same thresholds). The per-set figures and the pooled
figures are the honest estimate of how triage does on a community it has never seen. Model choices (regularisation,
features kept, the gate, the thresholds) are picked by this cross-validation, never by one file:

* the thresholds that score a left-out set are chosen on the out-of-fold rows of the *other* sets, so a set's own
  labels never pick the thresholds it is scored with;
* the configuration (``Config``) is chosen by the pooled figures over all sets (``scripts/train_triage.py select``).

Training uses scikit-learn (a development dependency, imported only here and only when training); inference stays
standard library only: the fitted weights are written to ``weights.json`` and read by ``model.LearnedLexicon``.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from . import FLAGS, RISKS, ModelGate, TriageResult, classify_rules, decide_with_model, flag_allowed, model_gate
from . import model as tm
from .data import REPO_ROOT, TriageDataMissing, triage_file
from .normalize import normalize
from .rules import ORDINARY_CAPS

SETS_DIR = Path(__file__).with_name("sets")
TESTS_DIR = REPO_ROOT / "hearth" / "safety" / "tests"
URGENCY = {"crisis": 2, "concern": 1, "none": 0}

# What the alarm must keep and how wide the review band is, as the issue asks: the crisis alarm keeps precision
# at least ALARM_PRECISION on the other sets; the review band catches at least REVIEW_RECALL of crises.
ALARM_PRECISION = 0.75
# 0.99 since v6: the rules now raise the alarm on about 98% of the labelled crises they were written after, so at
# 0.98 the band closed altogether; on voices the rules have not read the alarm finds fewer (see docs/triage.md).
REVIEW_RECALL = 0.99
REVIEW_BUDGET = 0.04
# The alarm never fires below this P(crisis): lower, a message the model thinks is most likely "concern"
# (P 0.70) became an alarm at P(crisis) 0.21. Cross-validation chooses above it.
MIN_ALARM = 0.25
# The model's alarm must hold with the one word that carries it taken out: P(crisis) without it at least this
# (None: the alarm's own threshold). 0.1: the largest of 0.05-0.25 that cost under half a point of pooled
# cross-validated crisis recall (2 of 811 crises) while the demo's one-word alarms (0.03, 0.08) stay quiet.
ONE_WORD: float | None = 0.1
# The alarm's threshold: the most crisis recall plus F1_WEIGHT times macro-F1 at a precision of at least
# ALARM_PRECISION + PRECISION_MARGIN on the other sets' rows (the margin: a left-out set's precision varies).
F1_WEIGHT = 0.5
PRECISION_MARGIN = 0.0
# The second review band (other messages of five words or more): both bands together may review at most
# REVIEW_BUDGET + this share of the messages that needed nothing.
REVIEW_GATED_BUDGET = 0.0125


@dataclass(frozen=True)
class Config:
    """The choices cross-validation picks between."""

    c: float = 1.0  # inverse L2 strength of the logistic regressions
    min_df: int = 2  # a feature must appear in this many training messages
    keep_risk: int = 6000  # features kept for the risk head (largest weights first)
    keep_flag: int = 1500  # features kept per flag head
    min_words: int = 5  # the model adds nothing to a shorter message
    learned_flags: tuple[str, ...] = ()  # flag heads allowed to add a flag on top of the rules
    balanced: bool = True  # class weights inverse to frequency

    def describe(self) -> str:
        return " ".join(f"{k}={v}" for k, v in asdict(self).items())


@dataclass(frozen=True)
class Item:
    """One labelled message, prepared once: its features, and the rules' answer (which never changes)."""

    set: str
    id: str
    text: str
    risk: str
    flags: tuple[str, ...]
    feats: frozenset[str]
    base: TriageResult
    gate: ModelGate


# ------------------------------------------------------------------------------------------------ the sets


def set_paths() -> dict[str, Path]:
    """Every labelled set, by name: the shared dev set, the older sets beside the tests, the community sets.

    Adding a set is adding a file: ``hearth/safety/triage/sets/<community>.jsonl`` is found here by name.
    """
    paths: dict[str, Path] = {}
    with contextlib.suppress(TriageDataMissing):  # without the shared folder: the sets in the repository
        paths["dev"] = triage_file("dev.jsonl")
    for path in sorted(TESTS_DIR.glob("triage_*.jsonl")):
        paths[path.stem.removeprefix("triage_")] = path
    for path in sorted(SETS_DIR.glob("*.jsonl")):
        paths[path.stem] = path
    return paths


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def prepare(set_name: str, rows: Iterable[dict[str, Any]]) -> list[Item]:
    out = []
    for row in rows:
        text = str(row["text"])
        norm = normalize(text).text
        base = classify_rules(text)
        out.append(
            Item(
                set=set_name,
                id=str(row.get("id", "")),
                text=text,
                risk=str(row["risk"]),
                flags=tuple(str(f) for f in row.get("flags") or ()),
                feats=frozenset(tm.features(norm)),
                base=base,
                gate=model_gate(norm, base),
            )
        )
    return out


def load_all(names: Sequence[str] | None = None) -> dict[str, list[Item]]:
    paths = set_paths()
    return {name: prepare(name, read_jsonl(path)) for name, path in paths.items() if names is None or name in names}


# ------------------------------------------------------------------------------------------------ fitting


def fit(items: Sequence[Item], config: Config) -> dict[str, Any]:
    """Fit the risk head and the flag heads; returns weights in ``weights.json``'s format (no thresholds yet)."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    df = Counter(f for it in items for f in it.feats)
    vocab = sorted(f for f, n in df.items() if n >= config.min_df)
    col = {f: j for j, f in enumerate(vocab)}
    indptr, indices, values = [0], [], []
    for it in items:
        scale = tm.scale_for(len(it.feats))  # the same length scale inference applies
        cols = sorted(col[f] for f in it.feats if f in col)
        indices += cols
        values += [scale] * len(cols)
        indptr.append(len(indices))
    x = csr_matrix((np.array(values), np.array(indices), np.array(indptr)), shape=(len(items), len(vocab)))
    y = np.array([tm.RISK_CLASSES.index(it.risk) for it in items])
    weight = "balanced" if config.balanced else None
    risk = LogisticRegression(C=config.c, class_weight=weight, max_iter=3000, tol=1e-4)
    risk.fit(x, y)
    order = [list(risk.classes_).index(k) for k in range(3)]
    coef = risk.coef_[order]  # rows: crisis, concern, none
    bias = risk.intercept_[order]
    centred = coef - coef.mean(axis=0)  # softmax is shift-invariant: store the centred weights
    strength = np.abs(centred).max(axis=0)
    keep = sorted(np.argsort(-strength, kind="stable")[: config.keep_risk].tolist())
    risk_w = {vocab[j]: [round(float(v), 2) for v in centred[:, j]] for j in keep}
    flags: dict[str, Any] = {}
    for name in FLAGS:
        fy = np.array([int(name in it.flags) for it in items])
        if name not in config.learned_flags or fy.sum() == 0:
            flags[name] = {"bias": -30.0, "weights": {}}
            continue
        head = LogisticRegression(C=config.c, class_weight=weight, max_iter=3000, tol=1e-4)
        head.fit(x, fy)
        w = head.coef_[0]
        kept = sorted(np.argsort(-np.abs(w), kind="stable")[: config.keep_flag].tolist())
        flags[name] = {
            "bias": round(float(head.intercept_[0]), 3),
            "weights": {vocab[j]: round(float(w[j]), 2) for j in kept},
        }
    return {
        "format": 2,
        "features": "word 1-2-grams + in-word char 3-5-grams of normalised text; sum scaled by 1/sqrt(#features)",
        "risk": {"classes": list(tm.RISK_CLASSES), "bias": [round(float(b), 3) for b in bias], "weights": risk_w},
        "flags": flags,
        "config": asdict(config),
    }


# ------------------------------------------------------------------------------------------------ out of fold


@dataclass
class Row:
    """One message scored out of fold: the rules' answer and the probabilities of a model that never saw its set."""

    item: Item
    probs: dict[str, float]
    flag_probs: dict[str, float]
    # P(crisis) with the one word that carries it taken out (``LearnedLexicon.without_one_word``); None below
    # every threshold, where it cannot matter.
    without_one_word: float | None = None


def out_of_fold(sets: dict[str, list[Item]], config: Config, log: Any = None) -> dict[str, list[Row]]:
    """Leave each set out in turn: train on all the others, score it with the exported (pruned, rounded) model."""
    out: dict[str, list[Row]] = {}
    for name, items in sets.items():
        train = [it for other, its in sets.items() if other != name for it in its]
        lex = tm.LearnedLexicon({**fit(train, config), "thresholds": {}})
        rows = []
        for it in items:
            z, fz = lex.scores(set(it.feats))
            probs = dict(zip(tm.RISK_CLASSES, tm.softmax(z), strict=True))
            flag_probs = {f: 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, v)))) for f, v in fz.items()}
            p_without = lex.without_one_word(normalize(it.text).text)[0] if probs["crisis"] >= _GRID[0] else None
            rows.append(Row(it, probs, flag_probs, p_without))
        out[name] = rows
        if log:
            log(f"[fold] {name}: trained on {len(train)}, scored {len(items)}")
    return out


def refresh_rules(oof: dict[str, list[Row]], sets: dict[str, list[Item]]) -> dict[str, list[Row]] | None:
    """Out-of-fold rows with the rules' answers (and gate) of freshly prepared items.

    The model's probabilities depend only on a message's features, never on the rules, so a change to the rules
    can be judged on cached rows without refitting. ``None`` when a set's texts or features no longer match.
    """
    out: dict[str, list[Row]] = {}
    for name, rows in oof.items():
        items = sets.get(name, [])
        if len(items) != len(rows):
            return None
        if any(r.item.id != it.id or r.item.feats != it.feats for r, it in zip(rows, items, strict=True)):
            return None
        out[name] = [
            Row(it, r.probs, r.flag_probs, getattr(r, "without_one_word", None))
            for r, it in zip(rows, items, strict=True)
        ]
    return out


# ------------------------------------------------------------------------------------------------ deciding


@dataclass(frozen=True)
class Outcome:
    risk: str
    review: bool
    flags: tuple[str, ...]


def decide(row: Row, thresholds: dict[str, float], config: Config) -> Outcome:
    """What ``classify`` would answer for this row with these thresholds (the same decision function)."""
    base = row.item.base
    risk, _, review = decide_with_model(
        base.risk, row.probs, row.item.gate, thresholds, config.min_words, row.without_one_word
    )
    added = {
        f
        for f in config.learned_flags
        if f not in base.flags
        and row.flag_probs.get(f, 0.0) >= thresholds.get(f, 1.01)
        and not _kept_off(base, f)
        and flag_allowed(f, row.item.gate)
        and row.item.gate.words >= config.min_words  # as in ``classify``: the model reads no shorter message
    }
    return Outcome(risk, review, tuple(f for f in FLAGS if f in base.flags or f in added))


def _kept_off(base: TriageResult, flag: str) -> bool:
    if flag == "substance":
        return any(r.startswith("someone else") for r in base.reasons)
    if flag == "hostility":
        return any(r.startswith("reported") for r in base.reasons)
    return False


# ------------------------------------------------------------------------------------------------ scoring


@dataclass
class Scores:
    n: int
    crisis_recall: float
    crisis_precision: float
    macro_f1: float
    any_risk_recall: float
    review_recall: float  # crises that raised the alarm or went to review
    review_rate: float  # share of all messages put in the review band
    crisis_n: int
    crisis_tp: int
    crisis_pred: int
    flag_recall: dict[str, float] = field(default_factory=dict)
    flag_f1: dict[str, float] = field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    review_rate_none: float = 0.0  # share of the messages that needed nothing put in the review band (the cost)


def score(gold: Sequence[Item], pred: Sequence[Outcome]) -> Scores:
    f1s = []
    conf = {g: dict.fromkeys(RISKS, 0) for g in RISKS}
    for it, p in zip(gold, pred, strict=True):
        conf[it.risk][p.risk] += 1
    for c in RISKS:
        tp = conf[c][c]
        npred = sum(conf[g][c] for g in RISKS)
        ngold = sum(conf[c].values())
        pr, rc = (tp / npred if npred else 0.0), (tp / ngold if ngold else 0.0)
        f1s.append(2 * pr * rc / (pr + rc) if pr + rc else 0.0)
    crisis_n = sum(conf["crisis"].values())
    crisis_pred = sum(conf[g]["crisis"] for g in RISKS)
    risky = [p.risk != "none" for it, p in zip(gold, pred, strict=True) if it.risk != "none"]
    seen = [p.risk == "crisis" or p.review for it, p in zip(gold, pred, strict=True) if it.risk == "crisis"]
    flag_recall, flag_f1 = {}, {}
    for f in FLAGS:
        g = [f in it.flags for it in gold]
        q = [f in p.flags for p in pred]
        tp = sum(a and b for a, b in zip(g, q, strict=True))
        flag_recall[f] = tp / sum(g) if sum(g) else 0.0
        flag_f1[f] = 2 * tp / (sum(g) + sum(q)) if sum(g) + sum(q) else 0.0
    return Scores(
        n=len(gold),
        crisis_recall=conf["crisis"]["crisis"] / crisis_n if crisis_n else 0.0,
        crisis_precision=conf["crisis"]["crisis"] / crisis_pred if crisis_pred else 0.0,
        macro_f1=sum(f1s) / 3,
        any_risk_recall=sum(risky) / len(risky) if risky else 0.0,
        review_recall=sum(seen) / len(seen) if seen else 0.0,
        review_rate=sum(p.review for p in pred) / len(pred) if pred else 0.0,
        crisis_n=crisis_n,
        crisis_tp=conf["crisis"]["crisis"],
        crisis_pred=crisis_pred,
        flag_recall=flag_recall,
        flag_f1=flag_f1,
        confusion=conf,
        review_rate_none=_rate([p.review for it, p in zip(gold, pred, strict=True) if it.risk == "none"]),
    )


def _rate(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson interval for a proportion k/n."""
    if n == 0:
        return 0.0, 0.0
    p = k / n
    d = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / d
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, mid - half), min(1.0, mid + half)


# ------------------------------------------------------------------------------------------------ thresholds

_GRID = [x / 100 for x in range(5, 96)]


class _Arrays:
    """Out-of-fold rows as numpy arrays, so thresholds can be searched quickly (the same decision as ``decide``)."""

    def __init__(self, rows: Sequence[Row], config: Config) -> None:
        import numpy as np

        self.np = np
        self.gold = np.array([URGENCY[r.item.risk] for r in rows])
        self.base = np.array([URGENCY[r.item.base.risk] for r in rows])
        self.pc = np.array([r.probs["crisis"] for r in rows])
        self.pr = np.array([r.probs["crisis"] + r.probs["concern"] for r in rows])
        pn = np.array([r.probs["none"] for r in rows])
        # P(crisis) without the one word that carries it: the model's alarm must hold without it too.
        # (Not worked out: no constraint, as in ``decide_with_model``; it is left out only below every threshold.)
        self.pw = np.array([1.0 if r.without_one_word is None else r.without_one_word for r in rows])
        gate = [r.item.gate for r in rows]
        words = np.array([g.words for g in gate])
        territory = np.array([g.territory for g in gate])
        distress = np.array([g.distress for g in gate])
        veto = np.array([g.veto for g in gate])
        self.allowed = (words >= config.min_words) & (territory | distress) & ~veto
        self.speaks = self.allowed & (pn < np.maximum(self.pc, np.array([r.probs["concern"] for r in rows])))
        # An apology for not coming: the model adds nothing (``decide_with_model``).
        self.speaks &= ~np.array([g.cap == "apology for absence" for g in gate])
        self.capped = ~territory
        # A safety step or an errand: the model's crisis evidence counts only towards concern (``decide_with_model``).
        self.cap = np.array([bool(g.cap) for g in gate])
        errand = np.array([g.cap in ORDINARY_CAPS for g in gate])
        both = territory & distress & ~veto
        long_enough = (words >= config.min_words) & ~errand
        self.band1 = long_enough & both  # reviewed from the "review" threshold
        self.band2 = long_enough & ~both  # reviewed from the "review_gated" threshold
        # No word from the territory of harm (and no rules veto): an alarm only from the higher "alarm_gated" threshold.
        self.held = (words >= config.min_words) & ~territory & ~veto & ~self.cap & (self.base < 2)

    def risk(self, tc: float, tr: float, ta: float = 1.01, tw: float | None = None) -> Any:
        np = self.np
        sure = self.pw >= (tc if tw is None else tw)  # the alarm does not rest on one word
        model = np.where((self.pc >= tc) & sure & ~self.cap, 2, np.where(self.pr >= tr, 1, 0))
        model = np.where(self.capped, np.minimum(model, 1), model)
        model = np.where(self.speaks, model, 0)
        model = np.where(self.held & (self.pc >= ta) & sure, 2, model)
        return np.maximum(self.base, model)

    def crisis_scores(self, pred: Any) -> tuple[float, float, float]:
        """crisis recall, crisis precision, macro-F1."""
        np = self.np
        conf = np.bincount(self.gold * 3 + pred, minlength=9).reshape(3, 3)
        f1s = []
        for k in range(3):
            tp, npred, ngold = conf[k, k], conf[:, k].sum(), conf[k, :].sum()
            pr, rc = (tp / npred if npred else 0.0), (tp / ngold if ngold else 0.0)
            f1s.append(2 * pr * rc / (pr + rc) if pr + rc else 0.0)
        rc = conf[2, 2] / conf[2, :].sum() if conf[2, :].sum() else 0.0
        pr = conf[2, 2] / conf[:, 2].sum() if conf[:, 2].sum() else 0.0
        return float(rc), float(pr), float(sum(f1s) / 3)

    def review_recall(self, pred: Any, tv: float, tg: float = 1.01) -> float:
        seen = (pred == 2) | self.reviewed(pred, tv, tg)
        crises = self.gold == 2
        return float(seen[crises].mean()) if crises.any() else 0.0

    def reviewed(self, pred: Any, tv: float, tg: float = 1.01) -> Any:
        band = (self.band1 & (self.pc >= tv)) | (self.band2 & (self.pc >= tg))
        return band & (self.base < 2) & (pred < 2)

    def false_review_rate(self, pred: Any, tv: float, tg: float = 1.01) -> float:
        """The share of messages that needed nothing but went to review."""
        calm = self.gold == 0
        return float(self.reviewed(pred, tv, tg)[calm].mean()) if calm.any() else 0.0


def choose_thresholds(rows: Sequence[Row], config: Config) -> dict[str, float]:
    """Thresholds from out-of-fold rows (never the rows they will score).

    * crisis: the alarm keeps precision ≥ ALARM_PRECISION and, within that, the most crisis recall plus half the
      macro-F1 (the concern threshold is chosen with it);
    * alarm_gated: the alarm for messages with no word from the territory of harm, as low as keeps the alarms it adds right at least
      ALARM_PRECISION of the time (and the whole alarm at ALARM_PRECISION);
    * review: the widest band that sends at most REVIEW_BUDGET of ordinary messages to review (stopping at
      REVIEW_RECALL of crises on the alarm or in review);
    * each learned flag: the threshold with the best F1 (off when the rules alone do better).
    """
    arr = _Arrays(rows, config)
    best: tuple[tuple[float, float], dict[str, float]] | None = None
    for tc in [x for x in _GRID if x >= MIN_ALARM]:
        for tr in _GRID[::2]:
            rc, pr, f1 = arr.crisis_scores(arr.risk(tc, tr, tw=ONE_WORD))
            key = (float(pr >= ALARM_PRECISION + PRECISION_MARGIN), rc + F1_WEIGHT * f1)
            if best is None or key > best[0]:
                best = (key, {"crisis": tc, "risk": tr})
    assert best is not None
    t = dict(best[1])
    t["one_word"] = t["crisis"] if ONE_WORD is None else ONE_WORD
    # The alarm for messages with no word from the territory of harm: the lowest threshold (from the top down) at which the alarms it adds
    # are still right at least ALARM_PRECISION of the time, and the whole alarm keeps its precision too.
    t["alarm_gated"] = 1.01
    plain = arr.risk(t["crisis"], t["risk"], tw=t["one_word"])
    crises = arr.gold == 2
    for ta in sorted((x for x in _GRID if x >= MIN_ALARM), reverse=True):
        pred = arr.risk(t["crisis"], t["risk"], ta, t["one_word"])
        added = (pred == 2) & (plain < 2)
        if added.any():
            if (added & crises).sum() / added.sum() < ALARM_PRECISION:
                break
            if arr.crisis_scores(pred)[1] < ALARM_PRECISION:
                break
        t["alarm_gated"] = ta
    pred = arr.risk(t["crisis"], t["risk"], t["alarm_gated"], t["one_word"])
    # The review band: as wide as the moderators' time allows (at most REVIEW_BUDGET of ordinary messages),
    # stopping once it reaches REVIEW_RECALL of crises.
    t["review"] = 1.01
    for tv in sorted(_GRID, reverse=True):
        if arr.false_review_rate(pred, tv) > REVIEW_BUDGET:
            break
        t["review"] = tv
        if arr.review_recall(pred, tv) >= REVIEW_RECALL:
            break
    # The second band, for messages the gate keeps from the model: REVIEW_GATED_BUDGET more ordinary messages.
    t["review_gated"] = 1.01
    for tg in sorted(_GRID, reverse=True):
        if arr.false_review_rate(pred, t["review"], tg) > REVIEW_BUDGET + REVIEW_GATED_BUDGET:
            break
        if arr.review_recall(pred, t["review"], t["review_gated"]) >= REVIEW_RECALL:
            break
        t["review_gated"] = tg
    gold = [r.item for r in rows]
    for f in FLAGS:
        t[f] = 1.01
        if f not in config.learned_flags:
            continue
        base = score(gold, [decide(r, t, config) for r in rows]).flag_f1[f]
        for tv in _GRID[::5]:
            s = score(gold, [decide(r, {**t, f: tv}, config) for r in rows])
            if s.flag_f1[f] > base + 1e-9:
                base, t[f] = s.flag_f1[f], tv
    t["min_words"] = float(config.min_words)
    return t


@dataclass
class Report:
    config: Config
    per_set: dict[str, Scores]
    pooled: Scores
    rules_per_set: dict[str, Scores]
    rules_pooled: Scores
    thresholds: dict[str, dict[str, float]]  # per left-out set: the thresholds chosen without it
    final_thresholds: dict[str, float]  # chosen on every set's out-of-fold rows: what ships
    oof: dict[str, list[Row]] = field(default_factory=dict)


def cross_validate(
    sets: dict[str, list[Item]], config: Config, log: Any = None, oof: dict[str, list[Row]] | None = None
) -> Report:
    """Leave-one-set-out over every set; each set scored with thresholds chosen on the other sets' rows.

    ``oof`` reuses out-of-fold rows already computed for this configuration (the thresholds and the gate can
    then be re-judged without refitting)."""
    oof = oof if oof is not None else out_of_fold(sets, config, log)
    report_oof = oof
    per_set, rules_per_set, chosen = {}, {}, {}
    all_items: list[Item] = []
    all_pred: list[Outcome] = []
    all_rules: list[Outcome] = []
    for name, rows in oof.items():
        others = [r for other, rs in oof.items() if other != name for r in rs]
        t = choose_thresholds(others, config)
        chosen[name] = t
        pred = [decide(r, t, config) for r in rows]
        rules = [Outcome(r.item.base.risk, False, r.item.base.flags) for r in rows]
        items = [r.item for r in rows]
        per_set[name] = score(items, pred)
        rules_per_set[name] = score(items, rules)
        all_items += items
        all_pred += pred
        all_rules += rules
    final = choose_thresholds([r for rs in oof.values() for r in rs], config)
    report = Report(
        config, per_set, score(all_items, all_pred), rules_per_set, score(all_items, all_rules), chosen, final
    )
    report.oof = report_oof
    return report


def selection_key(report: Report) -> tuple[float, ...]:
    """How configurations are compared: pooled crisis recall at the alarm's precision, then macro-F1."""
    p = report.pooled
    return (float(p.crisis_precision >= ALARM_PRECISION - 0.02), p.crisis_recall + 0.5 * p.macro_f1, p.review_recall)


def format_report(report: Report, title: str = "") -> str:
    """A Markdown table: per set and pooled, rules alone and rules + model, with 95% intervals pooled."""
    lines = []
    if title:
        lines.append(f"### {title}\n")
    lines.append(f"config: {report.config.describe()}\n")
    lines.append(
        "| set (left out) | n | crises | rules: crisis R / P / macro-F1 | rules + model: crisis R / P / macro-F1 "
        "| any-risk R | alarm or review R | review rate | hostility R | substance R | practical R |"
    )
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|")

    def row(name: str, s: Scores, r: Scores) -> str:
        fr = " | ".join(f"{s.flag_recall[f]:.2f}" for f in FLAGS)
        return (
            f"| {name} | {s.n} | {s.crisis_n} | {r.crisis_recall:.2f} / {r.crisis_precision:.2f} / {r.macro_f1:.2f} "
            f"| {s.crisis_recall:.2f} / {s.crisis_precision:.2f} / {s.macro_f1:.2f} | {s.any_risk_recall:.2f} "
            f"| {s.review_recall:.2f} | {s.review_rate:.2f} | {fr} |"
        )

    for name in sorted(report.per_set, key=lambda n: report.per_set[n].crisis_recall):
        lines.append(row(name, report.per_set[name], report.rules_per_set[name]))
    p = report.pooled
    lines.append(row("**pooled**", p, report.rules_pooled))
    lo, hi = wilson(p.crisis_tp, p.crisis_n)
    plo, phi = wilson(p.crisis_tp, p.crisis_pred)
    lines.append(
        f"\npooled crisis recall {p.crisis_recall:.3f} (95% CI {lo:.3f} to {hi:.3f}), crisis precision "
        f"{p.crisis_precision:.3f} ({plo:.3f} to {phi:.3f}), macro-F1 {p.macro_f1:.3f}, any-risk recall "
        f"{p.any_risk_recall:.3f}, alarm-or-review recall {p.review_recall:.3f} at a review rate of "
        f"{p.review_rate:.3f} ({p.review_rate_none:.3f} of messages that needed nothing); flag F1 "
        + ", ".join(f"{f} {p.flag_f1[f]:.3f}" for f in FLAGS)
    )
    lines.append(f"shipped thresholds (chosen on every set's out-of-fold rows): {report.final_thresholds}")
    return "\n".join(lines)


def summary(report: Report) -> dict[str, Any]:
    """The pooled figures as JSON, kept in ``weights.json`` so CI can compare against them."""
    p = report.pooled
    return {
        "sets": len(report.per_set),
        "messages": p.n,
        "crisis_recall": round(p.crisis_recall, 4),
        "crisis_precision": round(p.crisis_precision, 4),
        "macro_f1": round(p.macro_f1, 4),
        "any_risk_recall": round(p.any_risk_recall, 4),
        "review_recall": round(p.review_recall, 4),
        "review_rate": round(p.review_rate, 4),
        "review_rate_none": round(p.review_rate_none, 4),
        "flag_recall": {f: round(v, 4) for f, v in p.flag_recall.items()},
    }


def with_(config: Config, **changes: Any) -> Config:
    return replace(config, **changes)


# ------------------------------------------------------------------------------------------------ the organisation's labels


@dataclass
class Retrain:
    """What ``hearth triage_retrain`` found: the current model and the candidate, judged on the organisation's
    own labels (the candidate out of fold: each label scored by a model that did not learn from it)."""

    labels: int
    current: Scores
    candidate: Scores
    switch: bool
    why: str
    weights: dict[str, Any] | None = None


MIN_LABELS = 20  # fewer labels than this cannot judge a model


def should_switch(current: Scores, candidate: Scores) -> tuple[bool, str]:
    """Switch only when the candidate is not worse on crisis recall, and keeps the alarm's precision and macro-F1."""
    if candidate.crisis_recall < current.crisis_recall:
        return False, f"crisis recall would fall ({current.crisis_recall:.3f} -> {candidate.crisis_recall:.3f})"
    if candidate.macro_f1 < current.macro_f1 - 0.02:
        return False, f"macro-F1 would fall ({current.macro_f1:.3f} -> {candidate.macro_f1:.3f})"
    if candidate.crisis_pred and candidate.crisis_precision < min(current.crisis_precision, ALARM_PRECISION) - 0.02:
        return False, f"the alarm would be wrong more often (precision {candidate.crisis_precision:.3f})"
    return True, (
        f"not worse: crisis recall {current.crisis_recall:.3f} -> {candidate.crisis_recall:.3f}, "
        f"macro-F1 {current.macro_f1:.3f} -> {candidate.macro_f1:.3f}"
    )


def check_enough_labels(count: int) -> None:
    """Raise ``ValueError`` when ``count`` labels are too few to judge a model (before any costly loading)."""
    if count < MIN_LABELS:
        raise ValueError(f"Only {count} labels so far: at least {MIN_LABELS} are needed to judge a model.")


def retrain(
    labels: Sequence[dict[str, Any]],
    base: dict[str, list[Item]],
    current: tm.LearnedLexicon | None,
    config: Config,
    folds: int = 5,
) -> Retrain:
    """Fit a model on the shipped sets plus the organisation's labels and compare it with the current one.

    The organisation's labels are split into ``folds``; each fold is scored by a candidate trained on the
    shipped sets and the other folds, with the current thresholds. The current model scores every label as it
    is (it never learned from them). The final candidate (every label) is returned only when it should switch.
    """
    check_enough_labels(len(labels))
    org = prepare("organisation", labels)
    thresholds = dict(current.thresholds) if current else {"crisis": 0.5, "risk": 0.5}
    shipped = [it for items in base.values() for it in items]

    def outcome(it: Item, lex: tm.LearnedLexicon | None) -> Outcome:
        if lex is None:
            return Outcome(it.base.risk, False, it.base.flags)
        z, _ = lex.scores(set(it.feats))
        row = Row(it, dict(zip(tm.RISK_CLASSES, tm.softmax(z), strict=True)), {})
        return decide(row, thresholds, replace(config, min_words=lex.min_words))

    now = score(org, [outcome(it, current) for it in org])
    pred: dict[int, Outcome] = {}
    for k in range(folds):
        test = [i for i in range(len(org)) if i % folds == k]
        train = shipped + [org[i] for i in range(len(org)) if i % folds != k]
        lex = tm.LearnedLexicon({**fit(train, config), "thresholds": thresholds})
        for i in test:
            pred[i] = outcome(org[i], lex)
    cand = score(org, [pred[i] for i in range(len(org))])
    switch, why = should_switch(now, cand)
    weights = None
    if switch:
        weights = fit(shipped + org, config)
        weights["thresholds"] = thresholds
        weights["trained_on"] = {**{n: len(v) for n, v in base.items()}, "organisation": len(org)}
        weights["n_train"] = len(shipped) + len(org)
        weights["retrain"] = {"labels": len(org), "current": asdict(now), "candidate": asdict(cand), "why": why}
    return Retrain(len(org), now, cand, switch, why, weights)
