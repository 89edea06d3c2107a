from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hearth.core"
    label = "core"
    verbose_name = "Hearth core"

    def ready(self) -> None:
        # Registers audit wording, periodic jobs, task logging and the delivery channels.
        from hearth.core import actions, deliveries, tasks  # noqa: F401
        from hearth.core.logs import connect_task_signals
        from hearth.core.transports import EmailTransport, LiveTransport

        connect_task_signals()
        deliveries.register(LiveTransport())
        deliveries.register(EmailTransport())
