from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from hearth.care import actions
from hearth.core.errors import ActionError
from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    me: Member = request.user  # type: ignore[assignment]
    policy.require(me, Perm.USE_CARE_QUEUE)
    if request.method == "POST":
        item_id = int(request.POST.get("item", 0) or 0)
        try:
            if request.POST.get("action") == "claim":
                actions.do_claim(me, item_id)
            else:
                actions.do_record_check_in(me, item_id, request.POST.get("outcome", "").strip() or "checked in")
        except ActionError as exc:
            messages.error(request, str(exc))
        return redirect("care:queue")
    return render(request, "care/queue.html", {"items": actions.open_items()})
