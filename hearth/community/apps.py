from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "hearth.community"
    label = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        # Registers audit wording, the energy consent kind, data-rights sections, demo seeders and the home panel.
        from hearth.community import actions, data_rights, demo, home, moderation, screening  # noqa: F401
