from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "hearth.intake"
    label = "intake"
    verbose_name = "Intake: scope, self-assessment, routing, gatekeeping"

    def ready(self) -> None:
        # Registers audit wording, the data-rights section, the home panel and the demo seeder.
        from hearth.community.joining import register_join_check
        from hearth.intake import actions, data_rights, demo, gatekeeping, home, screening  # noqa: F401

        register_join_check(gatekeeping.check_can_join)  # community asks; it never imports intake
        from hearth.core.demo import DEMO_SEEDERS

        DEMO_SEEDERS.append(demo.seed)
