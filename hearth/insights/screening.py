"""Insights holds numbers and choices only: no member writes words here."""

from __future__ import annotations

from hearth.core.screening import system_text

system_text("insights.InsightsSettings", "research_key", why="a random key, never shown")
system_text("insights.OutcomeResponse", "answers", "band", why="integer answers and a band from a fixed list")
system_text(
    "insights.Rollup", "key", "values", why="a figure's name from specs.py, and its counts, minutes or group ids"
)
system_text("insights.ActivityWeeks", "weeks", why="one character a week from a fixed set (a way of taking part)")
system_text("insights.RollupCursor", "table", why="a table's name")
system_text("insights.CountedAnswer", "band", why="a band from a fixed list")
