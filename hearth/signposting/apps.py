from django.apps import AppConfig


class SignpostingConfig(AppConfig):
    name = "hearth.signposting"
    label = "signposting"
    verbose_name = "Signposting: resources directory and referrals"

    def ready(self) -> None:
        # Registers audit wording, the data-rights section and the demo seeder.
        from hearth.core.demo import DEMO_SEEDERS
        from hearth.signposting import actions, data_rights, demo, screening  # noqa: F401

        DEMO_SEEDERS.append(demo.seed)
