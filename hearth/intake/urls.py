from django.urls import path

from hearth.intake import views

app_name = "intake"

urlpatterns = [
    path("about/", views.scope, name="scope"),
    path("me/self-assessment/", views.start, name="start"),
    path("me/self-assessment/<id:assessment_id>/", views.result, name="result"),
    path("groups/<id:group_id>/requirements/", views.group_requirement, name="requirement"),
    path("staff/self-assessments/", views.staff_list, name="staff_list"),
    path("staff/self-assessments/<id:assessment_id>/", views.staff_detail, name="staff_detail"),
    path("staff/self-assessment/questions/", views.editor, name="editor"),
    path("staff/self-assessment/versions/<id:number>/", views.version, name="version"),
    path("staff/scope/", views.scope_edit, name="scope_edit"),
]
