from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("hearth.core.urls")),
    path("", include("hearth.members.urls")),
    path("admin/", admin.site.urls),
]
