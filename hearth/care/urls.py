from django.urls import path

from hearth.care import views

app_name = "care"
urlpatterns = [
    path("care/", views.queue, name="queue"),
    path("care/people/<id:member_id>/", views.person, name="person"),
    path("care/people/<id:member_id>/do/", views.person_action, name="person_action"),
    path("care/worried/", views.worried, name="worried"),
    path("care/me/", views.mine, name="mine"),
    path("care/me/do/", views.mine_action, name="mine_action"),
    path("care/api/wellbeing/", views.wellbeing_api, name="wellbeing_api"),
]
