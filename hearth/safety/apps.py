from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "hearth.safety"
    label = "safety"
    verbose_name = "Safety: triage, alerts and moderation"

    def ready(self) -> None:
        # Registers audit wording, periodic jobs and data-rights sections.
        from hearth.core.screening import set_screener
        from hearth.safety import actions, alerts, data_rights, health, screening, tasks  # noqa: F401

        set_screener(actions.screen_writing)
