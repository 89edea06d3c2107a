"""What a group may ask of someone before they join, from the apps above community.

Intake's gatekeeping ("fill in the self-assessment first", "have a one-to-one first") sits above community, so
community never imports it: intake registers its check here when it starts (``hearth/intake/apps.py``), and
``do_join_group`` / ``do_answer_invitation`` call :func:`check_can_join`. A check raises ``ActionError`` with a
kind next step, never a bare "no".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

JoinCheck = Callable[[Any, Any], None]  # (member, group): raises ActionError when they can't join yet
_checks: list[JoinCheck] = []


def register_join_check(check: JoinCheck) -> None:
    if check not in _checks:
        _checks.append(check)


def check_can_join(member: Any, group: Any) -> None:
    for check in _checks:
        check(member, group)
