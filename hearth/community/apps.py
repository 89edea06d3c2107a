from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "hearth.community"
    label = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        # Registers audit wording, the energy consent kind, data-rights sections, demo seeders and the home panel.
        from hearth.community import actions, data_rights, demo, home, moderation, screening  # noqa: F401
        from hearth.community.access import group_hosts
        from hearth.community.models import Membership
        from hearth.safety import groups

        # Safety asks about groups without importing community (which sits above it).
        groups.register(
            groups.GroupAnswers(
                hosts_of=group_hosts,
                hosts_a_group=lambda member: Membership.objects.filter(member=member, is_host=True).exists(),
            )
        )
