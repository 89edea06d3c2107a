from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "hearth.care"
    label = "care"
    verbose_name = "Proactive care: cues, check-ins and the care queue"

    def ready(self) -> None:
        # Registers consent kinds, audit wording, periodic jobs, the home panel, data-rights sections, demo data.
        # Hears safety's "concern found" (hearth.core.screening) and puts the writer on the care queue.
        from hearth.care import (  # noqa: F401
            actions,
            cues,
            data_rights,
            demo,
            home,
            screening,
            signals,
            tasks,
            triage_context,
        )
