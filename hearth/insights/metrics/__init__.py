"""Every dashboard metric, registered on import (see :mod:`hearth.insights.registry`)."""

from hearth.insights.metrics import outcomes, participation, service  # noqa: F401
