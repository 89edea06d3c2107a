"""Insights holds numbers and choices only: no member writes words here."""

from __future__ import annotations

from hearth.core.screening import system_text

system_text("insights.InsightsSettings", "research_key", why="a random key, never shown")
system_text("insights.OutcomeResponse", "answers", "band", why="integer answers and a band from a fixed list")
