from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "hearth.insights"
    label = "insights"
    verbose_name = "Insights: dashboards, outcome measures, research export"

    def ready(self) -> None:
        # Registers consent kinds, audit wording, metrics, the periodic job, the home panel,
        # the data-rights section and the demo seeder.
        from hearth.core.demo import DEMO_SEEDERS
        from hearth.insights import actions, data_rights, demo, home, metrics, screening, tasks  # noqa: F401

        DEMO_SEEDERS.append(demo.seed)
