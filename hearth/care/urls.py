from django.urls import path

from hearth.care import views

app_name = "care"
urlpatterns = [path("care/", views.queue, name="queue")]
