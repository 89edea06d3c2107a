from django.urls import path

from hearth.chat import views

app_name = "chat"

urlpatterns = [
    path("chat/", views.index, name="index"),
    path("messages/", views.inbox, name="inbox"),
    path("messages/settings/", views.message_settings, name="message_settings"),
    path("messages/members/", views.message_someone, name="message_someone"),
    path("messages/members/<int:member_id>/start/", views.start_member_conversation, name="start_member_conversation"),
    path("messages/members/<int:member_id>/block/", views.block_member, name="block_member"),
    path("messages/members/<int:member_id>/unblock/", views.unblock_member, name="unblock_member"),
    path("chat/conversations/<int:conversation_id>/review/", views.review_conversation, name="review"),
    path("chat/coming-up/", views.coming_up, name="coming_up"),
    path("chat/groups/<int:group_id>/", views.group_room, name="group_room"),
    path("chat/groups/<int:group_id>/drop-ins/new/", views.new_drop_in, name="new_drop_in"),
    path("chat/groups/<int:group_id>/gatherings/new/", views.new_gathering, name="new_gathering"),
    path("chat/rooms/<int:room_id>/", views.room_page, name="room"),
    path("chat/rooms/<int:room_id>/send/", views.send, name="send"),
    path("chat/rooms/<int:room_id>/hand/", views.hand, name="hand"),
    path("chat/rooms/<int:room_id>/facilitate/", views.facilitate, name="facilitate"),
    path("chat/messages/<int:message_id>/edit/", views.edit, name="edit"),
    path("chat/messages/<int:message_id>/delete/", views.delete, name="delete"),
    path("chat/messages/<int:message_id>/hide/", views.hide, name="hide"),
    path("chat/gatherings/<int:gathering_id>/", views.gathering_page, name="gathering"),
    path("chat/gatherings/<int:gathering_id>/places/", views.gathering_capacity, name="gathering_capacity"),
    path("chat/gatherings/<int:gathering_id>/cancel/", views.cancel_gathering, name="cancel_gathering"),
    path("chat/gatherings/<int:gathering_id>/calendar.ics", views.gathering_ics, name="gathering_ics"),
    path("chat/series/<int:series_id>/", views.series_page, name="series"),
    path("chat/series/<int:series_id>/calendar.ics", views.series_ics, name="series_ics"),
    path("chat/series/<int:series_id>/end/", views.end_series, name="end_series"),
    path("chat/gatherings/<int:gathering_id>/attendance/", views.gathering_attendance, name="gathering_attendance"),
    path("chat/gatherings/<int:gathering_id>/notes/", views.gathering_notes, name="gathering_notes"),
    path("chat/prompts/", views.prompts, name="prompts"),
    path("book/", views.book, name="book"),
    path("book/<int:slot_id>/change/", views.change_booking, name="change_booking"),
    path("book/<int:slot_id>/cancel/", views.cancel_booking, name="cancel_booking"),
    path("me/slots/", views.my_slots, name="my_slots"),
    path("me/slots/<int:slot_id>/withdraw/", views.withdraw_slot, name="withdraw_slot"),
    path("me/slots/<int:slot_id>/outcome/", views.slot_outcome, name="slot_outcome"),
]
