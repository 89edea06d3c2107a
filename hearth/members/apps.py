from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "hearth.members"
    label = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        # Registers audit wording, consent kinds and data-rights sections.
        from hearth.members import actions, consent, data_rights, screening  # noqa: F401
