from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "hearth.members"
    label = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        # Registers audit wording, consent kinds and data-rights sections.
        from hearth.core.consumers import register_socket_rule
        from hearth.members import actions, consent, data_rights, screening, sessions  # noqa: F401

        # Websockets obey the staff two-factor requirement as pages do (sessions.py).
        register_socket_rule(sessions.socket_refusal)
