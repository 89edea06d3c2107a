from django.urls import path

from hearth.core import health, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.need_help_now, name="help"),
    path("healthz", health.healthz, name="health"),
    path("readyz", health.readyz, name="ready"),
    path("metrics", health.metrics, name="metrics"),
    path("staff/audit/", views.audit_log, name="audit_log"),
    path("staff/settings/", views.organisation_settings, name="settings"),
    path("team/", views.team, name="team"),
    path("me/counts/", views.counts, name="counts"),
    path("banners/", views.page_banners, name="banners"),
    path("me/notifications/", views.notification_list, name="notifications"),
    path("me/notifications/choices/", views.notification_settings, name="notification_settings"),
]
