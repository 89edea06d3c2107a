from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hearth.core"
    label = "core"
    verbose_name = "Hearth core"

    def ready(self) -> None:
        # Registers audit wording and periodic jobs.
        from hearth.core import actions, tasks  # noqa: F401
        from hearth.core.logs import connect_task_signals

        connect_task_signals()
