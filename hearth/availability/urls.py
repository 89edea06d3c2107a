from django.urls import path

from hearth.availability import views

app_name = "availability"

urlpatterns = [
    path("talk/", views.talk, name="talk"),
    path("talk/message/", views.talk_message, name="talk_message"),
    path("talk/<id:request_id>/cancel/", views.talk_cancel, name="talk_cancel"),
    path("talk/<id:request_id>/match/", views.talk_match, name="talk_match"),
    path("talk/<id:request_id>/mode/", views.talk_mode, name="talk_mode"),
    path("me/supporter/", views.my_supporter_profile, name="my_profile"),
    path("rota/supporters/", views.supporter_list, name="supporters"),
    path("rota/supporters/<id:member_id>/", views.supporter_profile, name="supporter_profile"),
    path("duty/", views.duty, name="duty"),
    path("duty/handover/", views.handover, name="handover"),
    path("rota/", views.rota, name="rota"),
    path("rota/shifts/", views.rota_add, name="rota_add"),
    path("rota/gaps/", views.rota_gap, name="rota_gap"),
    path("rota/offers/<id:offer_id>/take/", views.offer_claim, name="offer_claim"),
    path("rota/offers/<id:offer_id>/withdraw/", views.offer_withdraw, name="offer_withdraw"),
    path("rota/rules/", views.rules, name="rules"),
    path("rota/on-call/", views.on_call, name="on_call"),
    path("rota/shifts/<id:pattern_id>/", views.rota_pattern, name="rota_pattern"),
    path("rota/cover/<id:cover_id>/", views.cover_take, name="cover_take"),
]
