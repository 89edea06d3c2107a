from django.apps import AppConfig


class AvailabilityConfig(AppConfig):
    name = "hearth.availability"
    label = "availability"
    verbose_name = "Availability: rota, on duty, talk now"

    def ready(self) -> None:
        # Registers audit wording, periodic jobs and data-rights sections.
        from hearth.availability import actions, data_rights, demo, health, screening, tasks, views  # noqa: F401
        from hearth.core.demo import DEMO_SEEDERS

        DEMO_SEEDERS.append(demo.seed)
