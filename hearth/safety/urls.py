from django.urls import path

from hearth.safety import views

app_name = "safety"

urlpatterns = [
    path("support/", views.support, name="support"),
    path("support/signposts/", views.signposts, name="signposts"),
    path("report/", views.report, name="report"),
    path("me/reports/", views.my_reports, name="my_reports"),
    path("appeal/<token:token>/", views.appeal, name="appeal"),
    path("moderation/", views.moderation_queue, name="queue"),
    path("moderation/items/<id:item_id>/", views.moderation_item, name="item"),
    path("moderation/alerts/", views.alert_list, name="alerts"),
    path("moderation/alerts/<id:alert_id>/", views.alert_detail, name="alert"),
    path("moderation/alerts/<id:alert_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("moderation/workload/", views.workload, name="workload"),
    path("moderation/appeals/", views.appeals, name="appeals"),
]
