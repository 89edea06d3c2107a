from django.urls import path

from hearth.core import health, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.need_help_now, name="help"),
    path("healthz", health.healthz, name="health"),
    path("readyz", health.readyz, name="ready"),
    path("metrics", health.metrics, name="metrics"),
    path("me/counts/", views.counts, name="counts"),
    path("banners/", views.page_banners, name="banners"),
    path("me/notifications/", views.notification_list, name="notifications"),
    path("me/notifications/choices/", views.notification_settings, name="notification_settings"),
    path("me/push/devices/", views.push_device_add, name="push_device_add"),
    path("me/push/devices/remove/", views.push_device_remove, name="push_device_remove"),
    path("me/push/test/", views.push_test, name="push_test"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("offline/", views.offline, name="offline"),
]
