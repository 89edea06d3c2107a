"""A URLconf with one view that fails, to see the 500 page as a person would."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("fail/", fail), path("", include("hearth.urls"))]

handler500 = "hearth.core.views.server_error"
