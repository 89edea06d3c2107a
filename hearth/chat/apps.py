from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "hearth.chat"
    label = "chat"
    verbose_name = "Live chat, drop-ins and gatherings"

    def ready(self) -> None:
        # Registers audit wording, data-rights sections, periodic jobs and the demo seeder.
        from hearth.availability import conversations
        from hearth.chat import actions, data_rights, demo, health, home, moderation, screening, tasks, views  # noqa: F401

        conversations.register(actions.open_for_talk)  # availability hands accepted talk-now requests to chat
