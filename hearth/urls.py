from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("hearth.core.urls")),
    path("", include("hearth.members.urls")),
    path("", include("hearth.community.urls")),
    path("", include("hearth.availability.urls")),
    path("", include("hearth.safety.urls")),
    path("", include("hearth.care.urls")),
    path("", include("hearth.chat.urls")),
    path("", include("hearth.intake.urls")),
    path("", include("hearth.signposting.urls")),
    path("", include("hearth.team.urls")),
    path("", include("hearth.insights.urls")),
    path("admin/", admin.site.urls),
]

# Styled error pages in the site's shell (a way back and the help link on each).
handler400 = "hearth.core.views.bad_request"
handler403 = "hearth.core.views.permission_denied"
handler404 = "hearth.core.views.page_not_found"
handler500 = "hearth.core.views.server_error"
