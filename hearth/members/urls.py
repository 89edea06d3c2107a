from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from hearth.members import views

app_name = "members"

urlpatterns = [
    path("staff/audit/", views.audit_log, name="audit_log"),
    path("staff/settings/", views.organisation_settings, name="settings"),
    path("team/", views.team, name="team"),
    path("signin/", views.sign_in, name="signin"),
    path("signin/verify/", views.verify_two_factor, name="verify"),
    path("signout/", views.sign_out, name="signout"),
    path("join/", views.open_sign_up, name="signup"),
    path("join/confirm/<token:token>/", views.confirm_email, name="confirm_email"),
    path("join/<token:token>/", views.join_with_invitation, name="join"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="members/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="members/password_reset_confirm.html",
            success_url=reverse_lazy("members:signin"),
        ),
        name="password_reset_confirm",
    ),
    path("me/", views.profile, name="profile"),
    path("me/preferences/", views.preferences, name="preferences"),
    path("me/sharing/", views.consent_centre, name="consent"),
    path("me/invitations/", views.invitations, name="invitations"),
    path("me/security/", views.security, name="two_factor"),
    path("me/data/", views.download_data, name="data"),
    path("me/delete/", views.delete_account, name="delete"),
    path("people/", views.member_list, name="member_list"),
    path("people/<id:member_id>/", views.member_detail, name="member_detail"),
    path("people/<id:member_id>/roles/", views.change_role, name="change_role"),
]
