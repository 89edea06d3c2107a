from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "hearth.team"
    label = "team"
    verbose_name = "The team: volunteer pathway, training, checks, supervision"

    def ready(self) -> None:
        # Registers audit wording, the role-grant training check, periodic jobs, data-rights sections, demo data.
        from hearth.core.demo import DEMO_SEEDERS
        from hearth.team import actions, data_rights, demo, screening, tasks, views  # noqa: F401

        DEMO_SEEDERS.append(demo.seed)
