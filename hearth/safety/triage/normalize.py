"""Text normalisation for triage.

Members write in text-speak, with emoji, curly quotes, stretched letters and
no punctuation. Rather than writing every lexicon pattern four ways, we map
the message onto one canonical lower-case form first: apostrophes dropped
("don't" -> "dont"), common abbreviations expanded ("tn" -> "tonight",
"gonna" -> "going to"), risk-bearing emoji turned into words, and letters
repeated three or more times squeezed to one ("byeee" -> "bye").

Quoted material is handled here too, because the writer's own stance is what
matters: lines starting with ">" (a reply quoting another post) are dropped,
and quoted spans next to a song/film cue are blanked so a lyric is not read as
the writer's intent.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Emoji that carry meaning for triage. Laughing emoji become "lol" so the joke
# guard sees them; weapons and pills become the words the lexicon knows.
_EMOJI = {
    "\U0001f52a": " knife ",  # kitchen knife
    "\U0001f5e1": " knife ",  # dagger
    "\U0001f48a": " pills ",  # pill
    "\U0001faa2": " rope ",  # knot
    "\U0001f52b": " gun ",  # pistol
    "\u26b0": " coffin ",  # coffin
    "\U0001fa78": " blood ",  # drop of blood
    "\U0001f602": " lol ",  # tears of joy
    "\U0001f923": " lol ",  # rolling on the floor laughing
    "\U0001f606": " lol ",  # grinning squinting
    "\U0001f605": " lol ",  # sweat smile
    "\U0001f480": " lol ",  # skull, "I'm dead" (laughing)
    "\u2620": " lol ",  # skull and crossbones
    "\U0001f44b": " bye ",  # waving hand
    "\U0001f51a": " the end ",  # END arrow
    "\U0001faa6": " grave ",  # headstone
    "\U0001f309": " bridge ",  # bridge at night
    "\U0001f489": " needle ",  # syringe
}
_EMOJI_RE = re.compile("|".join(re.escape(k) for k in _EMOJI))

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00b4": "'",
    }
)

# Whole-token abbreviations and text-speak. Applied after apostrophes are gone.
_ABBREV = {
    "tn": "tonight",
    "2nite": "tonight",
    "2night": "tonight",
    "tonite": "tonight",
    "tnite": "tonight",
    "rn": "right now",
    "atm": "at the moment",
    "rnow": "right now",
    "wanna": "want to",
    "wana": "want to",
    "gonna": "going to",
    "gunna": "going to",
    "gna": "going to",
    "finna": "going to",
    "imma": "im going to",
    "ima": "im going to",
    "gotta": "got to",
    "u": "you",
    "yer": "you",
    "yous": "you",
    "yere": "youre",
    "youse": "you",
    "urself": "yourself",
    "urselves": "yourselves",
    "lyk": "like",
    "sry": "sorry",
    "soz": "sorry",
    "fkn": "fucking",
    "fking": "fucking",
    "ya": "you",
    "ur": "your",
    "ppl": "people",
    "pls": "please",
    "plz": "please",
    "bc": "because",
    "cuz": "because",
    "coz": "because",
    "cos": "because",
    "bcos": "because",
    "bcuz": "because",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tmrrw": "tomorrow",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "tomoz": "tomorrow",
    "b4": "before",
    "nite": "night",
    "idk": "i dont know",
    "fr": "for real",
    "frfr": "for real",
    "jk": "joking",
    "ngl": "honestly",
    "tbh": "honestly",
    "w/o": "without",
    "bday": "birthday",
    "sum1": "someone",
    "some1": "someone",
    "any1": "anyone",
    "ne1": "anyone",
    "no1": "no one",
    "every1": "everyone",
    "evry1": "everyone",
    "dnt": "dont",
    "cnt": "cant",
    "prob": "probably",
    "s/h": "sh",
    "selfharm": "self harm",
    "self-harm": "self harm",
    "sewerslide": "sewer slide",
    "cannae": "cant",
    "canny": "cant",
    "cant've": "cant",
    "dinnae": "dont",
    "didnae": "didnt",
    "wouldnae": "wouldnt",
    "isnae": "isnt",
    "wasnae": "wasnt",
    "heid": "head",
    "gonnae": "going to",
    "dae": "do",
    "daein": "doing",
    "efter": "after",
    "intae": "into",
    "masel": "myself",
    "ahve": "ive",
    "ahm": "im",
    "ahll": "ill",
    "jist": "just",
    "noo": "now",
    "hoose": "house",
    "fae": "from",
    "gannin": "going",
    "doon": "down",
    "cannit": "cant",
    "canna": "cant",
    "wioot": "without",
    "aboot": "about",
    "hauf": "half",
    "neet": "night",
    "morra": "tomorrow",
    "sewer-slide": "sewer slide",
    "doin": "doing",
    "n": "and",
    "k1ll": "kill",
    "k*ll": "kill",
    "su1cide": "suicide",
    "suic1de": "suicide",
    "s*icide": "suicide",
}
_TOKEN_RE = re.compile(r"(?<![\w/*'-])[\w/*'-]+(?![\w/*'-])")
_APOS_RE = re.compile(r"(?<=\w)'(?=\w)")
_STRETCH_RE = re.compile(r"([a-z])\1{2,}")
_TWO_RE = re.compile(r"\b(want|need|going|have|got|try|trying|tried|like|used|able|ready|about|wanna) 2 (?=[a-z])")
# "not going to lie" is a discourse marker, not a negation of what follows.
_DISCOURSE_RE = re.compile(r"\bnot (?:going to|gonna) lie\b|\bim not going to lie\b|\bnot being funny but\b")
# Geordie "the neet" (tonight) and Scots "the morra" (tomorrow), read before the single words are.
_DIALECT_TIME = {"neet": "tonight", "morra": "tomorrow"}
_DIALECT_TIME_RE = re.compile(r"\bthe (neet|morra)\b")
_SPACE_RE = re.compile(r"[ \t\r\f\v]+")
_QUOTED_LINE_RE = re.compile(r"^\s*(?:>|&gt;).*$", re.MULTILINE)
# A quoted span (apostrophes between letters allowed inside) ...
_QUOTED_SPAN_RE = re.compile(r"(?<!\w)(['\"])((?:(?!\1).|(?<=\w)'(?=\w)){3,200}?)\1(?!\w)", re.DOTALL)
# ... is only masked when a cue says it is somebody else's words (a song, a film).
_LYRIC_CUE_RE = re.compile(
    r"\b(?:song|songs|lyric|lyrics|sang|sing|sings|singing|track|album|chorus|verse|film|movie|"
    r"poem|novel|book|character|tiktok sound|playlist|band)\b"
)


@dataclass(frozen=True)
class Normalized:
    """The canonical text plus what was set aside, for the reasons list."""

    text: str
    quoted: str
    quoted_lines: int
    masked_lyrics: tuple[str, ...]


def _expand(match: re.Match[str]) -> str:
    tok = match.group(0)
    return _ABBREV.get(tok, tok)


def _mask_lyrics(text: str) -> tuple[str, tuple[str, ...]]:
    masked: list[str] = []

    def repl(m: re.Match[str]) -> str:
        start, end = m.span()
        window = text[max(0, start - 60) : start] + " " + text[end : end + 60]
        if _LYRIC_CUE_RE.search(window):
            masked.append(m.group(2))
            return " [quote] "
        return m.group(0)

    return _QUOTED_SPAN_RE.sub(repl, text), tuple(masked)


@lru_cache(maxsize=64)  # the rules and the learned lexicon both normalise the same message
def normalize(raw: str) -> Normalized:
    """Return the canonical lower-case form the lexicon is written against."""
    text = unicodedata.normalize("NFKC", raw).translate(_QUOTES)
    text = _EMOJI_RE.sub(lambda m: _EMOJI[m.group(0)], text)
    quoted = "\n".join(m.group(0).lstrip(" \t>&gt;") for m in _QUOTED_LINE_RE.finditer(text))
    text, n_quoted = _QUOTED_LINE_RE.subn("", text)
    text = text.lower()
    text, lyrics = _mask_lyrics(text)
    text = _APOS_RE.sub("", text)
    text = _STRETCH_RE.sub(r"\1", text)
    text = _DIALECT_TIME_RE.sub(lambda m: _DIALECT_TIME[m.group(1)], text)
    text = _TOKEN_RE.sub(_expand, text)
    text = _TWO_RE.sub(r"\1 to ", text)
    text = _DISCOURSE_RE.sub("honestly", text)
    text = text.replace("&", " and ")
    text = _SPACE_RE.sub(" ", text)
    return Normalized(text=text.strip(), quoted=quoted, quoted_lines=n_quoted, masked_lyrics=lyrics)
