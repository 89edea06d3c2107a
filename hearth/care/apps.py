from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "hearth.care"
    label = "care"
    verbose_name = "Proactive care: the care queue"

    def ready(self) -> None:
        from hearth.care import actions, data_rights  # noqa: F401
