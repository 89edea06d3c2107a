"""The questionnaires: their items, answer options, scoring and severity bands. Pure Python, no database.

PHQ-9 and GAD-7 (Spitzer, Kroenke, Williams and colleagues; free to use, no
permission needed) and the 3-item UCLA loneliness scale (Hughes et al., 2004).
Bands are the published ones; a band is a way to describe a score, never a
diagnosis, and the member-facing wording says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from hearth.insights.models import Measure


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    low: int  # inclusive
    high: int  # inclusive


@dataclass(frozen=True)
class Questionnaire:
    measure: str
    name: str
    stem: str
    items: tuple[str, ...]
    options: tuple[tuple[int, str], ...]  # (value, label) for every item
    bands: tuple[Band, ...]
    about: str

    @property
    def min_score(self) -> int:
        return len(self.items) * min(v for v, _ in self.options)

    @property
    def max_score(self) -> int:
        return len(self.items) * max(v for v, _ in self.options)

    def score(self, answers: list[int]) -> int:
        """The total of the item answers. Raises ``ValueError`` unless every item has an allowed answer."""
        allowed = {v for v, _ in self.options}
        if len(answers) != len(self.items) or any(
            not isinstance(a, int) or isinstance(a, bool) or a not in allowed for a in answers
        ):
            raise ValueError(f"{self.name} needs one answer for each of its {len(self.items)} questions.")
        return sum(answers)

    def band(self, score: int) -> Band:
        for band in self.bands:
            if band.low <= score <= band.high:
                return band
        raise ValueError(f"{score} is outside the {self.name} range {self.min_score}-{self.max_score}")

    def band_label(self, key: str) -> str:
        return next((b.label for b in self.bands if b.key == key), key)


TWO_WEEKS = "Over the last 2 weeks, how often have you been bothered by the following problems?"
FREQUENCY = ((0, "Not at all"), (1, "Several days"), (2, "More than half the days"), (3, "Nearly every day"))

PHQ9 = Questionnaire(
    measure=Measure.PHQ9,
    name="PHQ-9",
    stem=TWO_WEEKS,
    items=(
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself, or that you are a failure or have let yourself or your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed, or the opposite: being so fidgety "
        "or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead, or of hurting yourself in some way",
    ),
    options=FREQUENCY,
    bands=(
        Band("minimal", "Minimal", 0, 4),
        Band("mild", "Mild", 5, 9),
        Band("moderate", "Moderate", 10, 14),
        Band("moderately_severe", "Moderately severe", 15, 19),
        Band("severe", "Severe", 20, 27),
    ),
    about="Nine questions about low mood over the last two weeks. About two minutes.",
)

GAD7 = Questionnaire(
    measure=Measure.GAD7,
    name="GAD-7",
    stem=TWO_WEEKS,
    items=(
        "Feeling nervous, anxious, or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid, as if something awful might happen",
    ),
    options=FREQUENCY,
    bands=(
        Band("minimal", "Minimal", 0, 4),
        Band("mild", "Mild", 5, 9),
        Band("moderate", "Moderate", 10, 14),
        Band("severe", "Severe", 15, 21),
    ),
    about="Seven questions about worry and anxiety over the last two weeks. About a minute.",
)

UCLA3 = Questionnaire(
    measure=Measure.UCLA3,
    name="UCLA 3-item loneliness scale",
    stem="The next questions are about how you feel about different parts of your life. How often do you feel…",
    items=(
        "…that you lack companionship?",
        "…left out?",
        "…isolated from others?",
    ),
    options=((1, "Hardly ever"), (2, "Some of the time"), (3, "Often")),
    # 3-9; 6 or more is the cut-off researchers often use for "lonely".
    bands=(Band("not_lonely", "Not often lonely", 3, 5), Band("lonely", "Often lonely", 6, 9)),
    about="Three questions about feeling lonely. Under a minute.",
)

QUESTIONNAIRES: dict[str, Questionnaire] = {q.measure: q for q in (PHQ9, GAD7, UCLA3)}

# PHQ-9 item 9 (thoughts of being better off dead or of self-harm), 0-3.
ITEM9_INDEX = 8
# At or above this answer ("more than half the days"): a live crisis alert and a care item.
# Above 0 but below it ("several days"): a care item, so a person reaches out soon.
ITEM9_ALERT_FROM = 2


def get(measure: str) -> Questionnaire:
    return QUESTIONNAIRES[measure]


def item9(measure: str, answers: list[int]) -> int:
    """The PHQ-9 item-9 answer (0 for any other measure)."""
    return answers[ITEM9_INDEX] if measure == Measure.PHQ9 else 0
