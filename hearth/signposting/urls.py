from django.urls import path

from hearth.signposting import views

app_name = "signposting"

urlpatterns = [
    path("resources/", views.directory_page, name="directory"),
    path("resources/<id:resource_id>/", views.resource, name="resource"),
    path("me/referrals/", views.my_referrals, name="my_referrals"),
    path("me/referrals/<id:referral_id>/", views.my_referral, name="my_referral"),
    path("staff/resources/new/", views.resource_edit, name="resource_new"),
    path("staff/resources/<id:resource_id>/", views.resource_edit, name="resource_edit"),
    path("staff/referrals/", views.staff_referrals, name="staff_referrals"),
    path("staff/referrals/new/", views.staff_referral_new, name="staff_referral_new"),
    path("staff/referrals/<id:referral_id>/", views.staff_referral, name="staff_referral"),
]
