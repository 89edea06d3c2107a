from django.urls import path

from hearth.insights import views

app_name = "insights"

urlpatterns = [
    path("insights/", views.dashboard, name="dashboard"),
    path("insights/metrics/<slug:key>.csv", views.metric_csv, name="metric_csv"),
    path("insights/research/", views.research, name="research"),
    path("insights/settings/", views.settings_view, name="settings"),
    path("insights/people/<id:member_id>/outcomes/", views.member_outcomes, name="member_outcomes"),
    path("me/picture/", views.my_picture, name="mine"),
    path("me/questionnaires/take-part/", views.take_part, name="take_part"),
    path("me/questionnaires/<slug:measure>/", views.questionnaire, name="questionnaire"),
    path("me/questionnaires/<slug:measure>/not-now/", views.set_aside, name="set_aside"),
]
