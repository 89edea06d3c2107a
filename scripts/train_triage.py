"""Train and judge the triage learned lexicon by leave-one-set-out cross-validation over every labelled set.

    python scripts/train_triage.py cv                 # per-set and pooled figures of the default configuration
    python scripts/train_triage.py cv --c 30          # ... of another configuration
    python scripts/train_triage.py select             # compare the candidate configurations by cross-validation
    python scripts/train_triage.py fit                # cross-validate, then fit on every set and write weights.json
    python scripts/train_triage.py shipped            # score the shipped classifier on every set (in-sample where
                                                      # it was trained on the set: the "before" figures)

Every set is left out in turn; a model trained on all the other sets scores it together with the rules, through the
same decision function ``classify`` uses, with thresholds chosen on the other sets' out-of-fold rows. See
``hearth/safety/triage/training.py`` and docs/triage.md. Needs the development dependencies (scikit-learn).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core: the machine is shared and the fits are small
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hearth.safety.triage import classify  # noqa: E402
from hearth.safety.triage import model as tm  # noqa: E402
from hearth.safety.triage import training as tr  # noqa: E402

# The candidates `select` compares (each is a full leave-one-set-out run, a few minutes on one core).
CANDIDATES = [
    tr.Config(c=10.0),
    tr.Config(c=30.0),
    tr.Config(c=3.0),
    tr.Config(c=10.0, min_words=3),
    tr.Config(c=10.0, keep_risk=12000),
    tr.Config(c=10.0, learned_flags=("substance", "practical")),
]
DEFAULT = tr.Config(c=10.0, learned_flags=("substance", "practical", "hostility"))  # what ships (v5)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def config_from(args: argparse.Namespace) -> tr.Config:
    cfg = DEFAULT
    if args.c is not None:
        cfg = tr.with_(cfg, c=args.c)
    if args.min_words is not None:
        cfg = tr.with_(cfg, min_words=args.min_words)
    if args.keep_risk is not None:
        cfg = tr.with_(cfg, keep_risk=args.keep_risk)
    if args.learned_flags is not None:
        cfg = tr.with_(cfg, learned_flags=tuple(f for f in args.learned_flags.split(",") if f))
    return cfg


def shipped(sets: dict[str, list[tr.Item]]) -> str:
    lex = tm.load()
    trained = set((lex.meta.get("trained_on") or {}) if lex else {})
    per_set, rules_per_set = {}, {}
    all_items, all_pred, all_rules = [], [], []
    for name, items in sets.items():
        pred = []
        for it in items:
            r = classify(it.text)
            pred.append(tr.Outcome(r.risk, r.review, r.flags))
        rules = [tr.Outcome(it.base.risk, False, it.base.flags) for it in items]
        per_set[name], rules_per_set[name] = tr.score(items, pred), tr.score(items, rules)
        all_items += items
        all_pred += pred
        all_rules += rules
    report = tr.Report(
        tr.Config(), per_set, tr.score(all_items, all_pred), rules_per_set, tr.score(all_items, all_rules), {}, {}
    )
    text = tr.format_report(report, "the shipped classifier, scored on every set")
    return text + f"\n(trained on, so in-sample: {', '.join(sorted(trained)) or 'none recorded'})"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["cv", "select", "fit", "shipped"])
    ap.add_argument("--c", type=float, default=None, help="inverse L2 strength")
    ap.add_argument("--min-words", type=int, default=None)
    ap.add_argument("--keep-risk", type=int, default=None)
    ap.add_argument("--learned-flags", default=None, help="comma-separated flag heads the model may add")
    ap.add_argument("--out", default=str(tm.WEIGHTS_PATH))
    ap.add_argument(
        "--cache",
        default="",
        help="keep the out-of-fold rows here; re-judge thresholds, the gate and rules changes without refitting",
    )
    ap.add_argument("--json", action="store_true", help="also print the pooled figures as one JSON line")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    sets = tr.load_all()
    log(f"{len(sets)} sets, {sum(len(v) for v in sets.values())} messages prepared in {time.perf_counter() - t0:.0f} s")

    if args.command == "shipped":
        print(shipped(sets))
        return 0
    if args.command == "select":
        best: tuple[tuple[float, ...], tr.Report] | None = None
        for cfg in CANDIDATES:
            t1 = time.perf_counter()
            report = tr.cross_validate(sets, cfg, log)
            print(tr.format_report(report, f"{cfg.describe()} ({time.perf_counter() - t1:.0f} s)"), flush=True)
            print(json.dumps(tr.summary(report)), flush=True)
            if best is None or tr.selection_key(report) > best[0]:
                best = (tr.selection_key(report), report)
        assert best is not None
        print(f"\nchosen by pooled cross-validation: {best[1].config.describe()}")
        return 0

    cfg = config_from(args)
    cache = Path(args.cache) if args.cache else None
    oof = None
    if cache and cache.is_file():
        with open(cache, "rb") as fh:
            saved_cfg, oof = pickle.load(fh)  # noqa: S301 (our own file, written below)
        if saved_cfg != cfg or set(oof) != set(sets):
            oof = None
        else:
            oof = tr.refresh_rules(oof, sets)  # the rules may have changed since: the model's rows still hold
            if oof is None:
                log(f"{cache}: the sets' texts or features changed since it was written; refitting")
    report = tr.cross_validate(sets, cfg, log, oof=oof)
    if cache:
        with open(cache, "wb") as fh:
            pickle.dump((cfg, report.oof), fh)
    print(tr.format_report(report, f"leave-one-set-out, {cfg.describe()}"))
    if args.json:
        print(json.dumps(tr.summary(report)))
    if args.command == "fit":
        weights = tr.fit([it for items in sets.values() for it in items], cfg)
        weights["thresholds"] = report.final_thresholds
        weights["trained_on"] = {name: len(items) for name, items in sets.items()}
        weights["n_train"] = sum(len(items) for items in sets.values())
        weights["cross_validation"] = tr.summary(report)
        with open(args.out, "w", encoding="utf-8") as fh:
            json.dump(weights, fh, separators=(",", ":"), sort_keys=True)
            fh.write("\n")
        log(f"wrote {args.out}: {Path(args.out).stat().st_size / 1024:.0f} KB, trained on {weights['n_train']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
