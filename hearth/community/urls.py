from django.urls import path

from hearth.community import views

app_name = "community"

urlpatterns = [
    path("groups/", views.directory, name="directory"),
    path("groups/new/", views.propose_group, name="propose"),
    path("groups/review/", views.review, name="review"),
    path("groups/coverage/", views.coverage, name="coverage"),
    path("groups/proposals/<id:group_id>/", views.proposal, name="proposal"),
    path("groups/<id:group_id>/", views.group_page, name="group"),
    path("groups/<id:group_id>/people/", views.group_members, name="members"),
    path("groups/<id:group_id>/join/", views.join_group, name="join"),
    path("groups/<id:group_id>/invitation/", views.answer_invitation, name="answer_invitation"),
    path("groups/<id:group_id>/leave/", views.leave_group, name="leave"),
    path("groups/<id:group_id>/hide/", views.hide_group, name="hide"),
    path("groups/<id:group_id>/here/", views.mark_here, name="here"),
    path("groups/<id:group_id>/host/", views.manage_group, name="manage"),
    path("groups/<id:group_id>/post/", views.new_post, name="new_post"),
    path("posts/<id:post_id>/", views.post_detail, name="post"),
    path("posts/<id:post_id>/fragment/", views.post_fragment, name="post_fragment"),
    path("posts/<id:post_id>/react/", views.react, name="react"),
    path("posts/<id:post_id>/pin/", views.pin_post, name="pin"),
    path("posts/<id:post_id>/photo/", views.photo, name="photo"),
    path("feed/", views.feed, name="feed"),
    path("me/energy/", views.set_energy, name="energy"),
    path("me/community/", views.community_settings, name="settings"),
]
