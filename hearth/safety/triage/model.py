"""The learned lexicon: a small linear model over word and character n-grams.

``scripts/train_triage.py`` fits it on the labelled triage sets and writes
``weights.json`` next to this file. Inference is standard library only: the
message is normalised (the same ``normalize`` the rules use), cut into
features, and each feature's weights are looked up in a dict and summed.
There is no compilation per call and no third-party code.

Features (all from the normalised text, quoted lines set aside):

* ``w:`` word unigrams and ``b:`` word bigrams;
* ``c:`` character 3-5-grams inside each word, with ``<`` and ``>`` marking
  the word's edges, so misspellings and new word forms still share weight
  with the words the model saw ("overdosed" / "overdose", "tabs" / "tablets").

The risk head is a multinomial logistic regression over crisis / concern /
none; each flag is a separate binary logistic regression. Reasons for staff
name the n-grams that pushed hardest towards the predicted class
("learned: 'counted' +1.4, 'tonight' +0.9").
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .normalize import normalize

WEIGHTS_PATH = Path(__file__).with_name("weights.json")
RISK_CLASSES = ("crisis", "concern", "none")
FLAG_NAMES = ("hostility", "substance", "practical")

_WORD_RE = re.compile(r"[a-z0-9]+")
_MAX_WORDS = 400  # a pasted wall of text must stay fast: the first 400 words are read
# The summed weights are scaled by 1/sqrt(#features), floored so that a one-line message
# ("allotment tonight?") cannot be decided by a single word.
MIN_FEATURES = 80
# The model's alarm must not rest on one word: P(crisis) is read again without each of this many of the words that
# push hardest towards crisis (``LearnedLexicon.without_one_word``).
ROBUST_CANDIDATES = 3


def scale_for(n_features: int) -> float:
    return 1.0 / math.sqrt(max(MIN_FEATURES, n_features))


# A word's own features (its unigram and its character n-grams) never change: most words of a message were seen
# in earlier messages, so they are kept for the most recent _WORD_CACHE_SIZE distinct words (a few MB at most).
_WORD_CACHE_SIZE = 10000
_word_cache: dict[str, tuple[str, ...]] = {}


def _word_features(w: str) -> tuple[str, ...]:
    found = _word_cache.get(w)
    if found is None:
        found = ("w:" + w,)
        if len(w) >= 3:
            padded = "<" + w + ">"
            n = len(padded)
            found += tuple("c:" + padded[i : i + size] for size in (3, 4, 5) for i in range(n - size + 1))
        if len(_word_cache) >= _WORD_CACHE_SIZE:
            _word_cache.clear()
        _word_cache[w] = found
    return found


def features(norm_text: str) -> set[str]:
    """The set of features of an already normalised message."""
    feats: set[str] = set()
    add, update = feats.add, feats.update
    prev = "<s>"
    for w in _WORD_RE.findall(norm_text)[:_MAX_WORDS]:
        add("b:" + prev + " " + w)
        prev = w
        update(_word_features(w))
    return feats


def text_features(raw: str) -> set[str]:
    return features(normalize(raw).text)


def softmax(z: list[float]) -> list[float]:
    m = max(z)
    e = [math.exp(v - m) for v in z]
    s = sum(e)
    return [v / s for v in e]


@dataclass(frozen=True)
class Prediction:
    """What the learned lexicon says about one message."""

    probs: dict[str, float]  # crisis / concern / none, summing to 1
    flag_probs: dict[str, float]
    top: tuple[tuple[str, float], ...]  # (n-gram, contribution) towards the most urgent likely class


class LearnedLexicon:
    """Weights loaded once; ``predict`` is a dict lookup per feature."""

    def __init__(self, data: dict[str, object]) -> None:
        self.meta = data
        risk = data["risk"]
        flags = data["flags"]
        assert isinstance(risk, dict) and isinstance(flags, dict)
        self.bias: list[float] = [float(b) for b in risk["bias"]]
        self.weights: dict[str, list[float]] = {f: [float(x) for x in w] for f, w in risk["weights"].items()}
        self.flag_bias: dict[str, float] = {name: float(flags[name]["bias"]) for name in FLAG_NAMES}
        self.flag_weights: dict[str, dict[str, float]] = {
            name: {f: float(w) for f, w in flags[name]["weights"].items()} for name in FLAG_NAMES
        }
        thresholds = data.get("thresholds", {})
        assert isinstance(thresholds, dict)
        self.thresholds: dict[str, float] = {k: float(v) for k, v in thresholds.items()}
        # The model adds nothing to a message shorter than this (chosen by cross-validation; see training.py).
        self.min_words = int(self.thresholds.get("min_words", 5))
        # One lookup per feature: the risk weights and every flag head that is switched on, in one tuple.
        self._heads = tuple(name for name in FLAG_NAMES if self.thresholds.get(name, 0.0) <= 1.0)
        zero = (0.0,) * (3 + len(self._heads))
        keys = set(self.weights).union(*(self.flag_weights[name] for name in self._heads))
        self._table: dict[str, tuple[float, ...]] = {}
        for f in keys:
            risk_w = self.weights.get(f)
            row = (*(risk_w or zero[:3]), *(self.flag_weights[name].get(f, 0.0) for name in self._heads))
            self._table[f] = row

    def scores(self, feats: set[str], flags: bool = True) -> tuple[list[float], dict[str, float]]:
        scale = scale_for(len(feats))
        get = self._table.get
        rows = [w for w in map(get, feats) if w is not None]
        sums = [sum(column) for column in zip(*rows, strict=True)] if rows else [0.0] * (3 + len(self._heads))
        z = [self.bias[0] + sums[0] * scale, self.bias[1] + sums[1] * scale, self.bias[2] + sums[2] * scale]
        fz = dict.fromkeys(FLAG_NAMES, -30.0)  # a head switched off (or not wanted) is not spent time on
        if flags:
            for i, name in enumerate(self._heads, 3):
                fz[name] = self.flag_bias[name] + sums[i] * scale
        return z, fz

    def predict(self, norm_text: str, explain: int = 4, feats: set[str] | None = None) -> Prediction:
        if feats is None:
            feats = features(norm_text)
        z, fz = self.scores(feats)
        p = softmax(z)
        probs = dict(zip(RISK_CLASSES, p, strict=True))
        flag_probs = {name: 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, v)))) for name, v in fz.items()}
        top: tuple[tuple[str, float], ...] = ()
        if explain and feats:
            top = self._explain(norm_text, 0 if p[0] >= p[1] else 1, explain, scale_for(len(feats)))
        return Prediction(probs=probs, flag_probs=flag_probs, top=top)

    def without_one_word(self, norm_text: str, n: int = ROBUST_CANDIDATES) -> tuple[float, str]:
        """P(crisis) once the one word that carries it is taken out (every occurrence of it), and that word.

        The lowest P(crisis) over the ``n`` words that push hardest towards crisis (against none). A message whose
        alarm rests on one word ("Evening. Just here to listen *tonight*.", "…when sleep *won't* come") loses it
        here; a written crisis has more than one word of it ("taking them all tonight, sorry everyone").
        """
        words = _WORD_RE.findall(norm_text)[:_MAX_WORDS]
        contrib: dict[str, float] = {}
        weights = self.weights
        for w in set(words):
            feats = ["w:" + w]
            if len(w) >= 3:
                padded = "<" + w + ">"
                feats += ["c:" + padded[i : i + size] for size in (3, 4, 5) for i in range(len(padded) - size + 1)]
            contrib[w] = sum(weights[f][0] - weights[f][2] for f in feats if f in weights)
        lowest, word = 1.0, ""
        for w in sorted(contrib, key=lambda k: (-contrib[k], k))[:n]:
            z, _ = self.scores(features(" ".join(x for x in words if x != w)), flags=False)
            p = softmax(z)[0]
            if p < lowest:
                lowest, word = p, w
        return lowest, word

    def explain(self, norm_text: str, risk: str, feats: set[str], n: int = 4) -> tuple[tuple[str, float], ...]:
        """Top n-grams pushing towards ``risk`` (crisis or concern) rather than none, for staff."""
        return self._explain(norm_text, 0 if risk == "crisis" else 1, n, scale_for(len(feats)))

    def _explain(self, norm_text: str, k: int, n: int, scale: float) -> tuple[tuple[str, float], ...]:
        """The words and word pairs that pushed hardest towards class ``k`` (against none), in logit units."""
        contrib: dict[str, float] = {}
        weights = self.weights
        prev = "<s>"
        for w in _WORD_RE.findall(norm_text)[:_MAX_WORDS]:
            feats = ["w:" + w]
            if len(w) >= 3:
                padded = "<" + w + ">"
                feats += ["c:" + padded[i : i + size] for size in (3, 4, 5) for i in range(len(padded) - size + 1)]
            total = sum(weights[f][k] - weights[f][2] for f in feats if f in weights)
            contrib[w] = max(contrib.get(w, 0.0), total * scale)
            pair = weights.get("b:" + prev + " " + w)
            if pair is not None and prev != "<s>":
                contrib[prev + " " + w] = (pair[k] - pair[2]) * scale
            prev = w
        ranked = sorted(((g, c) for g, c in contrib.items() if c > 0.05), key=lambda kv: (-kv[1], kv[0]))
        return tuple(ranked[:n])


def active_path() -> str:
    """The organisation's own weights when ``hearth triage_retrain`` has switched to them, else the shipped ones.

    ``HEARTH_TRIAGE_WEIGHTS`` names the organisation's file (settings point it into the data folder); it is used
    only when it exists.
    """
    own = os.environ.get("HEARTH_TRIAGE_WEIGHTS", "").strip()
    return own if own and os.path.isfile(own) else str(WEIGHTS_PATH)


@lru_cache(maxsize=4)
def load(path: str | None = None) -> LearnedLexicon | None:
    """The active model, loaded once; None when the weights file is absent or unreadable."""
    path = path or active_path()
    try:
        with open(path, encoding="utf-8") as fh:
            return LearnedLexicon(json.load(fh))
    except (OSError, ValueError, KeyError, TypeError, AssertionError):
        return None
