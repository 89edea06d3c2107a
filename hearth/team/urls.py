from django.urls import path

from hearth.team import views

app_name = "team"

urlpatterns = [
    path("me/volunteering/", views.mine, name="mine"),
    path("me/volunteering/applications/<id:application_id>/withdraw/", views.withdraw, name="withdraw"),
    path("me/debrief/", views.debrief, name="debrief"),
    path("team/people/", views.people, name="people"),
    path("team/people/<id:member_id>/", views.person, name="person"),
    path("team/people/<id:member_id>/step-back/", views.step_back, name="step_back"),
    path("team/training/", views.training, name="training"),
    path("team/supervision/", views.supervision, name="supervision"),
    path("team/supervision/<id:member_id>/", views.supervision_person, name="supervision_person"),
    path("team/debriefs/<id:request_id>/arrange/", views.arrange_debrief, name="arrange_debrief"),
]
