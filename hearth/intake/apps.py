from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "hearth.intake"
    label = "intake"
    verbose_name = "Intake: scope, self-assessment, routing, gatekeeping"

    def ready(self) -> None:
        # Registers audit wording, the data-rights section, the home panel and the demo seeder.
        from hearth.intake import actions, data_rights, demo, home, screening  # noqa: F401
        from hearth.members.management.commands.seed_demo import DEMO_SEEDERS

        DEMO_SEEDERS.append(demo.seed)
