"""Small numbers: no figure about fewer than 5 people is shown in a way that could identify them.

Every people-count, share and statistic on the dashboard, in CSV downloads and
in the research export's aggregates is made here, as a :class:`Cell`:

- a count of 1 to 4 people reads "fewer than 5" (0 is shown: nobody is identified by nobody);
- a statistic (median, mean) about fewer than 5 people reads "fewer than 5";
- a share reads "fewer than 5" when its base is fewer than 5 people, or when the
  people it counts are 1 to 4 (e.g. "2 of 40 scored severe" becomes "fewer than 5 of 40");
- in a breakdown (one thing split into parts), when exactly one part is hidden the
  next-smallest is hidden too, so a hidden part can't be worked out by subtraction
  (:func:`breakdown`).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MIN_CELL = 5
FEWER = f"fewer than {MIN_CELL}"


@dataclass(frozen=True)
class Cell:
    """One figure ready to show. ``value`` is None when it is hidden or there is nothing to show."""

    value: float | None
    text: str
    suppressed: bool = False

    def __str__(self) -> str:
        return self.text


NO_DATA = Cell(None, "—")


def hidden(text: str = FEWER) -> Cell:
    return Cell(None, text, suppressed=True)


def count(n: int) -> Cell:
    """A number of people (or of things each about one person, like crisis alerts)."""
    if 0 < n < MIN_CELL:
        return hidden()
    return Cell(n, str(n))


def plain(n: float, text: str | None = None) -> Cell:
    """A figure that is not about people (hours of rota gaps, number of groups): never hidden."""
    return Cell(n, text if text is not None else str(n))


def stat(values: Iterable[float], how: str = "median", digits: int = 0) -> Cell:
    """The median or mean of one value per person; hidden for fewer than 5."""
    vals = list(values)
    if not vals:
        return NO_DATA
    if len(vals) < MIN_CELL:
        return hidden()
    result = statistics.median(vals) if how == "median" else statistics.fmean(vals)
    result = round(result, digits) if digits else round(result)
    return Cell(result, f"{result:.{digits}f}")


def mean_of(total: float, n: int, digits: int = 0) -> Cell:
    """The mean of ``n`` values (one per person) from their sum, as :func:`stat` would show it."""
    if n == 0:
        return NO_DATA
    if n < MIN_CELL:
        return hidden()
    result = round(total / n, digits) if digits else round(total / n)
    return Cell(result, f"{result:.{digits}f}")


def share(part: int, whole: int) -> Cell:
    """``part`` of ``whole`` people as a percentage."""
    if whole == 0:
        return NO_DATA
    if whole < MIN_CELL:
        return hidden()
    if 0 < part < MIN_CELL:
        return hidden(f"{FEWER} of {whole}")
    pct = round(100 * part / whole)
    return Cell(pct, f"{pct}%")


def breakdown(parts: Mapping[str, int]) -> dict[str, Cell]:
    """Counts of people in parts of one whole, with secondary suppression (see the module docstring)."""
    cells = {key: count(n) for key, n in parts.items()}
    hidden_keys = [k for k, c in cells.items() if c.suppressed]
    if len(hidden_keys) == 1:
        shown = sorted((n, k) for k, n in parts.items() if n > 0 and not cells[k].suppressed)
        if shown:
            cells[shown[0][1]] = hidden()
    return cells
