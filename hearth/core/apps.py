from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hearth.core"
    label = "core"
    verbose_name = "Hearth core"

    def ready(self) -> None:
        # ``<id:name>`` and ``<token:name>`` in URL patterns (HTTP and websocket): values that fit the database, or a 404.
        from django.urls import register_converter

        from hearth.core.params import IdConverter, TokenConverter

        register_converter(IdConverter, "id")
        register_converter(TokenConverter, "token")

        # Registers audit wording, periodic jobs, task logging and the delivery channels.
        from hearth.core import actions, data_rights, deliveries, notifications, tasks  # noqa: F401
        from hearth.core.badges import register_count
        from hearth.core.logs import connect_task_signals
        from hearth.core.push import PushTransport
        from hearth.core.transports import EmailTransport, LiveTransport

        connect_task_signals()
        from hearth.core.screening import connect_guard

        connect_guard()
        deliveries.register(LiveTransport())
        deliveries.register(EmailTransport())
        deliveries.register(PushTransport())
        register_count("notifications", notifications.unread_count_expression)

        from hearth.core import demo

        demo.DEMO_SEEDERS.append(demo.seed)
