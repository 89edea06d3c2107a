"""Thin views: parse a form, call an access helper and one action, render or redirect.

Every form posts and redirects without JavaScript; HTMX (reactions) and the
live-update script only enhance. List pages are paginated ("Newer" /
"Older"), never infinite.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hearth.community import access, actions, photos
from hearth.community.feed import feed_post_ids
from hearth.community.forms import (
    BreakForm,
    CommentForm,
    CommunitySettingsForm,
    GroupForm,
    HandOverForm,
    InviteForm,
    JoinRequestForm,
    PostForm,
    ReviewForm,
)
from hearth.community.models import (
    REACTION_SYMBOLS,
    Comment,
    Energy,
    Group,
    GroupState,
    HiddenGroup,
    JoinPolicy,
    JoinRequest,
    Membership,
    Post,
    Reaction,
    ReactionKind,
    split_tags,
)
from hearth.core import params
from hearth.core.errors import ActionError
from hearth.core.home import panels_for
from hearth.core.screening import respond_to_screening
from hearth.core.web import MemberRequest, show_errors
from hearth.members import policy
from hearth.members.models import Consent, Member
from hearth.members.policy import Perm
from hearth.safety.mood import group_mood

PAGE_SIZE = 20
REACTIONS = [(k.value, k.label, REACTION_SYMBOLS[k]) for k in ReactionKind]


def _page_number(request: HttpRequest) -> int:
    return params.get_int(request.GET, "page", 1, low=1, high=10_000)


def _paged(items: Any, number: int, size: int = PAGE_SIZE) -> tuple[list[Any], dict[str, Any]]:
    """One page by offset, fetching one extra row to know if there is another (no COUNT over the feed)."""
    start = (number - 1) * size
    rows = list(items[start : start + size + 1])
    return rows[:size], {"number": number, "has_next": len(rows) > size, "has_previous": number > 1}


def _post_queryset(viewer: Member) -> Any:
    """Posts and their comments as ``viewer`` may see them: hidden ones only to their own author."""
    visible = Q(hidden=False) | Q(author=viewer)
    return (
        Post.objects.filter(visible)
        .select_related("author", "group")
        .prefetch_related(
            Prefetch(
                "comments", queryset=Comment.objects.filter(visible).select_related("author"), to_attr="comment_list"
            )
        )
    )


def decorate_posts(viewer: Member, posts: list[Post], last_read: dict[int, Any] | None = None) -> list[Post]:
    """Add what this viewer may see about each post, in a fixed number of queries.

    - ``my_reactions``: the viewer's own reactions (everyone sees their own);
    - ``reactors``: who reacted, by kind — only on the viewer's own posts;
    - ``muted``: the post matches the viewer's muted words;
    - ``is_new``: posted after the viewer last read that group, by someone else.
    """
    profile = access.profile_of(viewer)
    ids = [p.pk for p in posts]
    mine: dict[int, set[str]] = defaultdict(set)
    reactors: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    if ids:
        for post_id, kind in Reaction.objects.filter(member=viewer, post_id__in=ids).values_list("post_id", "kind"):
            mine[post_id].add(kind)
        on_my_posts = (
            Reaction.objects.filter(post_id__in=ids, post__author=viewer)
            .select_related("member")
            .order_by("created_at")
        )
        for reaction in on_my_posts:
            reactors[reaction.post_id][reaction.get_kind_display()].append(reaction.member.display_name)
    for post in posts:
        post.my_reactions = mine[post.pk]
        post.reactors = dict(reactors[post.pk]) if post.author_id == viewer.pk else {}
        post.muted = post.author_id != viewer.pk and profile.muted_match(
            post.body, post.card_title, post.content_note, post.photo_description
        )
        seen = (last_read or {}).get(post.group_id)
        post.is_new = seen is not None and post.created_at > seen and post.author_id != viewer.pk
        comments = getattr(post, "comment_list", [])
        post.shown_comments = comments[-3:]
        post.more_comments = len(comments) > 3
    return posts


def _post_context(request: MemberRequest) -> dict[str, Any]:
    profile = access.profile_of(request.member)
    return {"quiet": profile.quiet, "reactions": REACTIONS}


# --- Energy and personal settings ------------------------------------------------------


@login_required
@require_POST
def set_energy(request: MemberRequest) -> HttpResponse:
    with show_errors(request) as attempt:
        actions.do_set_energy(request.member, request.POST.get("level", ""))
    if attempt.ok:
        level = request.POST.get("level", "")
        messages.success(
            request,
            "Quiet mode is on: reading and reacting come first, and nothing will nudge you to post."
            if level == Energy.LOW
            else "Thanks — your energy level is saved. Only you see it unless you choose to share it.",
        )
    return redirect(params.safe_next(request, reverse("core:home")))


@login_required
def community_settings(request: MemberRequest) -> HttpResponse:
    me = request.member
    profile = access.profile_of(me)
    form = CommunitySettingsForm(
        request.POST if request.POST.get("form") == "settings" else None,
        initial={"interests": profile.interests, "muted_words": profile.muted_words},
    )
    break_form = BreakForm(request.POST if request.POST.get("form") == "break" else None)
    if request.method == "POST":
        with show_errors(request):
            if request.POST.get("form") == "settings" and form.is_valid():
                profile = actions.do_update_community_settings(me, **form.cleaned_data)
                return respond_to_screening(
                    request, profile.screening, reverse("community:settings"), "Your community settings are saved."
                )
            if request.POST.get("form") == "break" and break_form.is_valid():
                actions.do_take_break(me, timezone.now() + break_form.duration())
                messages.success(request, "Your break has started. Notifications will wait for you.")
                return redirect("community:settings")
            if request.POST.get("form") == "end_break":
                actions.do_take_break(me, None)
                messages.success(request, "Welcome back. Notifications are on again.")
                return redirect("community:settings")
    return render(
        request,
        "community/settings.html",
        {"form": form, "break_form": break_form, "profile": profile, "on_break": profile.on_break()},
    )


# --- The directory and proposals ----------------------------------------------------------


@login_required
def directory(request: MemberRequest) -> HttpResponse:
    me = request.member
    query = params.get_text(request.GET, "q", max_length=200)[:80]
    tag = params.get_text(request.GET, "tag", max_length=200).lower()[:40]
    join_policy = request.GET.get("policy", "")
    join_policy = join_policy if join_policy in JoinPolicy.values else ""
    show_hidden = request.GET.get("hidden") == "1"
    groups = access.search_groups(
        access.directory_groups(me, include_hidden=show_hidden), query, tag, join_policy
    ).order_by("name")
    rows, pager = _paged(groups, _page_number(request))
    mine = access.my_groups(me).annotate(
        has_new=Exists(
            Post.objects.filter(group=OuterRef("group"), created_at__gt=OuterRef("last_read_at"), hidden=False).exclude(
                author=me
            )
        )
    )
    my_ids = {m.group_id for m in mine}
    hidden_ids = set(HiddenGroup.objects.filter(member=me).values_list("group_id", flat=True))
    interests = split_tags(access.profile_of(me).interests)
    suggestions: list[Group] = []
    if interests:
        match = Q()
        for interest in interests[:10]:
            match |= Q(interest_tags__icontains=interest) | Q(experience_tags__icontains=interest)
        suggestions = list(access.directory_groups(me).filter(match).exclude(pk__in=my_ids).order_by("name")[:5])
    return render(
        request,
        "community/directory.html",
        {
            "rows": rows,
            "pager": pager,
            "mine": mine,
            "my_ids": my_ids,
            "hidden_ids": hidden_ids,
            "suggestions": suggestions,
            "invitations": JoinRequest.objects.filter(
                member=me, kind=JoinRequest.Kind.INVITATION, decided_at__isnull=True, group__state=GroupState.ACTIVE
            ).select_related("group", "invited_by"),
            "proposals": Group.objects.filter(proposed_by=me).exclude(state=GroupState.ACTIVE),
            "query": query,
            "tag": tag,
            "policy": join_policy,
            "policies": JoinPolicy.choices,
            "show_hidden": show_hidden,
            "pager_query": {"q": query, "tag": tag, "policy": join_policy, "hidden": "1" if show_hidden else ""},
            "can_review": policy.can(me, Perm.REVIEW_GROUP_PROPOSALS),
            "can_see_coverage": policy.can(me, Perm.VIEW_GROUP_COVERAGE),
            **_post_context(request),
        },
    )


@login_required
def propose_group(request: MemberRequest) -> HttpResponse:
    me = request.member
    form = GroupForm(request.POST or None)
    starts_now = policy.can(me, Perm.START_GROUP)
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form) as attempt:
            group = actions.do_propose_group(me, **form.cleaned_data)
        if attempt.ok:
            if group.state == GroupState.ACTIVE:
                return respond_to_screening(
                    request,
                    group.screening,
                    reverse("community:group", args=[group.pk]),
                    f"{group.name} is open, and you're its host.",
                )
            return respond_to_screening(
                request,
                group.screening,
                reverse("community:proposal", args=[group.pk]),
                "Thank you. A peer worker or coordinator will look at your proposal soon.",
            )
    return render(request, "community/propose.html", {"form": form, "starts_now": starts_now})


@login_required
def proposal(request: MemberRequest, group_id: int) -> HttpResponse:
    """A proposal's page: its proposer sees the state and any reason, and can revise it."""
    me = request.member
    group = access.access_proposal(me, group_id)
    is_proposer = group.proposed_by_id == me.pk
    can_revise = is_proposer and group.state in (GroupState.PROPOSED, GroupState.CHANGES)
    form = GroupForm(request.POST or None, instance=Group.objects.get(pk=group.pk)) if can_revise else None
    if request.method == "POST" and form is not None and form.is_valid():
        with show_errors(request, form=form) as attempt:
            revised = actions.do_revise_proposal(me, group, **form.cleaned_data)
        if attempt.ok:
            return respond_to_screening(
                request,
                revised.screening,
                reverse("community:proposal", args=[group.pk]),
                "Your changes are saved and the proposal is back with the reviewers.",
            )
    return render(request, "community/proposal.html", {"group": group, "form": form, "is_proposer": is_proposer})


@login_required
def review(request: MemberRequest) -> HttpResponse:
    me = request.member
    policy.require(me, Perm.REVIEW_GROUP_PROPOSALS)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        group = access.access_proposal(me, params.require_id(request.POST, "group"))
        if form.is_valid():
            with show_errors(request, prefix=f"{group.name}: ") as attempt:
                actions.do_review_proposal(me, group, form.cleaned_data["decision"], form.cleaned_data["reason"])
            if attempt.ok:
                messages.success(request, f"Your decision on {group.name} is saved and {_proposer(group)} is told.")
            return redirect("community:review")
        messages.error(request, "Choose approve, ask for changes, or decline.")
    waiting = Group.objects.filter(state=GroupState.PROPOSED).select_related("proposed_by").order_by("created_at")
    # Proposals sent back for changes or declined: reviewers can open each to see where it stands.
    decided = (
        Group.objects.filter(state__in=[GroupState.CHANGES, GroupState.DECLINED])
        .select_related("proposed_by")
        .order_by("-created_at")[:20]
    )
    return render(request, "community/review.html", {"waiting": waiting, "decided": decided, "form": ReviewForm()})


def _proposer(group: Group) -> str:
    return group.proposed_by.display_name if group.proposed_by else "the proposer"


@login_required
def coverage(request: MemberRequest) -> HttpResponse:
    policy.require(request.member, Perm.VIEW_GROUP_COVERAGE)
    return render(
        request,
        "community/coverage.html",
        {"groups": access.groups_without_coverage(), "days": access.COVERAGE_WINDOW.days},
    )


# --- A group ------------------------------------------------------------------------------


@login_required
def group_page(request: MemberRequest, group_id: int) -> HttpResponse:
    me = request.member
    group, membership = access.access_group(me, group_id)
    if group.state != GroupState.ACTIVE:
        return redirect("community:proposal", group_id=group.pk)
    context: dict[str, Any] = {"group": group, "membership": membership, **_post_context(request)}
    staff_view = policy.can(me, Perm.VIEW_GROUP_COVERAGE)
    if (membership and membership.is_host) or staff_view:
        context["coverage"] = access.group_coverage(group)
        context["coverage_days"] = access.COVERAGE_WINDOW.days
        context["mood"] = group_mood(group.pk)  # the atmosphere, from triage records (no post is read)
    if membership is None:
        pending = JoinRequest.objects.filter(group=group, member=me, decided_at__isnull=True).first()
        context.update(pending=pending, join_form=JoinRequestForm(), hidden=_is_hidden(me, group))
        return render(request, "community/group_about.html", context)
    number = _page_number(request)
    pinned = list(_post_queryset(me).filter(group=group, pinned_at__isnull=False).order_by("-pinned_at")[:3])
    # Pinned posts are shown once, above the rest (and left out of every page of the list).
    listed = _post_queryset(me).filter(group=group).exclude(pk__in=[p.pk for p in pinned])
    posts, pager = _paged(listed.order_by("-created_at", "-id"), number)
    if number > 1:
        pinned = []
    decorate_posts(me, posts + pinned, {group.pk: membership.last_read_at})
    today = timezone.localdate()
    here = list(
        Membership.objects.filter(group=group, here_on=today).select_related("member").order_by("member__display_name")
    )
    context.update(
        posts=posts,
        pinned=pinned,
        pager=pager,
        here=[m.member for m in here],
        here_today=membership.here_on == today,
        post_form=PostForm(host=membership.is_host),
        live_socket=f"/ws/community/groups/{group.pk}/",
        panels=panels_for(request, "group", group=group),
    )
    if number == 1:
        actions.do_mark_group_read(membership)
    return render(request, "community/group.html", context)


def _is_hidden(member: Member, group: Group) -> bool:
    return HiddenGroup.objects.filter(member=member, group=group).exists()


@login_required
def group_members(request: MemberRequest, group_id: int) -> HttpResponse:
    me = request.member
    group, _membership = access.access_group_content(me, group_id)
    rows = list(
        Membership.objects.filter(group=group)
        .select_related("member__community")
        .order_by("-is_host", "member__display_name")
    )
    # Energy shows only where its owner's consent allows (see access.energy_visible_to).
    audiences = dict(
        Consent.objects.filter(member_id__in=[r.member_id for r in rows], kind=access.ENERGY.key).values_list(
            "member_id", "audience"
        )
    )
    people = []
    for row in rows:
        profile = getattr(row.member, "community", None)
        energy = ""
        shared = row.member_id == me.pk or access.energy_visible_to(
            me, audiences.get(row.member_id, ""), same_group=True
        )
        if profile is not None and profile.energy and shared:
            energy = profile.get_energy_display()
        people.append({"pk": row.member_id, "name": row.member.display_name, "host": row.is_host, "energy": energy})
    return render(request, "community/members.html", {"group": group, "people": people})


@login_required
@require_POST
def join_group(request: MemberRequest, group_id: int) -> HttpResponse:
    me = request.member
    group, _ = access.access_group(me, group_id)
    form = JoinRequestForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    with show_errors(request) as attempt:
        result = actions.do_join_group(me, group, note)
    if attempt.ok:
        if isinstance(result, JoinRequest):
            return respond_to_screening(
                request,
                result.screening,
                reverse("community:group", args=[group.pk]),
                "You've asked to join. A host will get back to you.",
            )
        else:
            messages.success(request, f"Welcome to {group.name}. There's no pressure to post: reading is taking part.")
    return redirect("community:group", group_id=group.pk)


@login_required
@require_POST
def answer_invitation(request: MemberRequest, group_id: int) -> HttpResponse:
    me = request.member
    group, _ = access.access_group(me, group_id)
    invitation = JoinRequest.objects.filter(
        group=group, member=me, kind=JoinRequest.Kind.INVITATION, decided_at__isnull=True
    ).first()
    if invitation is None:
        raise Http404
    accept = request.POST.get("answer") == "accept"
    with show_errors(request) as attempt:
        actions.do_answer_invitation(me, invitation, accept)
    if attempt.ok:
        messages.success(request, f"Welcome to {group.name}." if accept else "No problem. The invitation is declined.")
    if accept:
        return redirect("community:group", group_id=group.pk)
    return redirect("community:directory")


@login_required
@require_POST
def leave_group(request: MemberRequest, group_id: int) -> HttpResponse:
    me = request.member
    group, _ = access.access_group_content(me, group_id)
    with show_errors(request) as attempt:
        actions.do_leave_group(me, group)
    if attempt.failed:
        return redirect("community:group", group_id=group.pk)
    messages.success(request, f"You've left {group.name}. You're welcome back any time.")
    return redirect("community:directory")


@login_required
@require_POST
def hide_group(request: MemberRequest, group_id: int) -> HttpResponse:
    me = request.member
    group, _ = access.access_group(me, group_id)
    hide = request.POST.get("hide") != "0"
    actions.do_hide_group(me, group, hide)
    messages.success(
        request,
        f"{group.name} is hidden from your directory." if hide else f"{group.name} shows in your directory again.",
    )
    return redirect(params.safe_next(request, reverse("community:directory")))


@login_required
@require_POST
def mark_here(request: MemberRequest, group_id: int) -> HttpResponse:
    me = request.member
    group, _ = access.access_group_content(me, group_id)
    here = request.POST.get("here") != "0"
    actions.do_mark_here(me, group, here)
    messages.success(request, "The group can see you're here today." if here else "You're no longer shown as here.")
    return redirect("community:group", group_id=group.pk)


@login_required
def manage_group(request: MemberRequest, group_id: int) -> HttpResponse:
    """Host tools: answer requests to join, invite people, hand hosting on."""
    me = request.member
    group, _membership = access.require_host(me, group_id)
    others = list(
        Membership.objects.filter(group=group)
        .exclude(member=me)
        .select_related("member")
        .order_by("member__display_name")
    )
    choices = [(m.member_id, m.member.display_name) for m in others]
    invite_form = InviteForm(request.POST if request.POST.get("form") == "invite" else None)
    hand_form = HandOverForm(request.POST if request.POST.get("form") == "hand_over" else None, choices=choices)
    if request.method == "POST":
        step = request.POST.get("form")
        with show_errors(request):
            if step == "request":
                join_request = (
                    JoinRequest.objects.filter(
                        pk=params.require_id(request.POST, "request"),
                        group=group,
                        kind=JoinRequest.Kind.REQUEST,
                        decided_at__isnull=True,
                    )
                    .select_related("member", "group")
                    .first()
                )
                if join_request is None:
                    raise Http404
                accept = request.POST.get("answer") == "accept"
                actions.do_decide_join_request(me, join_request, accept)
                messages.success(request, f"{join_request.member.display_name} is told.")
                return redirect("community:manage", group_id=group.pk)
            if step == "invite" and invite_form.is_valid():
                invitee = Member.objects.filter(
                    display_name__iexact=invite_form.cleaned_data["display_name"].strip(), is_active=True
                ).first()
                if invitee is None:
                    raise ActionError("We couldn't find anyone here with that display name. Check the spelling.")
                actions.do_invite_to_group(me, group, invitee)
                messages.success(request, f"{invitee.display_name} is invited.")
                return redirect("community:manage", group_id=group.pk)
            if step == "hand_over" and hand_form.is_valid():
                new_host = next(m.member for m in others if m.member_id == hand_form.cleaned_data["member"])
                actions.do_hand_over_hosting(me, group, new_host, step_down=hand_form.cleaned_data["step_down"])
                messages.success(
                    request, f"{new_host.display_name} is now a host. Thank you for looking after the group."
                )
                return redirect("community:group", group_id=group.pk)
    requests = JoinRequest.objects.filter(
        group=group, kind=JoinRequest.Kind.REQUEST, decided_at__isnull=True
    ).select_related("member")
    return render(
        request,
        "community/manage.html",
        {"group": group, "requests": requests, "invite_form": invite_form, "hand_form": hand_form},
    )


# --- Posts --------------------------------------------------------------------------------


@login_required
def new_post(request: MemberRequest, group_id: int) -> HttpResponse:
    """The post form on its own page (also where the group page's form posts to)."""
    me = request.member
    group, membership = access.access_group_content(me, group_id)
    form = PostForm(request.POST or None, request.FILES or None, host=membership.is_host)
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form) as attempt:
            post = actions.do_create_post(me, group, **form.cleaned_data)
        if attempt.ok:
            return respond_to_screening(
                request,
                post.screening,
                f"{reverse('community:group', args=[group.pk])}#post-{post.pk}",
                "Shared with the group.",
            )
    status = 400 if form.errors else 200
    return render(request, "community/new_post.html", {"group": group, "form": form}, status=status)


@login_required
def post_detail(request: MemberRequest, post_id: int) -> HttpResponse:
    me = request.member
    post, membership = access.access_post(me, post_id)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form) as attempt:
            comment = actions.do_comment(me, post, form.cleaned_data["body"])
        if attempt.ok:
            return respond_to_screening(
                request, comment.screening, reverse("community:post", args=[post.pk]), "Your reply is posted."
            )
    full = _post_queryset(me).get(pk=post.pk)  # already access-checked above
    decorate_posts(me, [full], {post.group_id: membership.last_read_at})
    full.shown_comments = full.comment_list
    full.more_comments = False
    context = {"post": full, "group": post.group, "membership": membership, "form": form, "detail": True}
    return render(request, "community/post.html", {**context, **_post_context(request)})


@login_required
def post_fragment(request: MemberRequest, post_id: int) -> HttpResponse:
    """One post as HTML, for the live-update script and HTMX swaps. Access-checked like the page."""
    me = request.member
    post, membership = access.access_post(me, post_id)
    return _render_fragment(request, me, post.pk, membership)


def _render_fragment(request: MemberRequest, me: Member, post_id: int, membership: Membership) -> HttpResponse:
    full = _post_queryset(me).get(pk=post_id)
    decorate_posts(me, [full], {full.group_id: membership.last_read_at})
    show_group = "1" in (request.GET.get("feed"), request.POST.get("feed"))
    context = {"post": full, "membership": membership, "show_group": show_group, **_post_context(request)}
    return render(request, "community/_post.html", context)


@login_required
@require_POST
def react(request: MemberRequest, post_id: int) -> HttpResponse:
    me = request.member
    post, membership = access.access_post(me, post_id)
    try:
        actions.do_toggle_reaction(me, post, request.POST.get("kind", ""))
    except ActionError as exc:
        if request.htmx:
            return HttpResponse(str(exc), status=400)
        messages.error(request, str(exc))
    if request.htmx:
        return _render_fragment(request, me, post.pk, membership)
    return redirect(params.safe_next(request, f"{reverse('community:group', args=[post.group_id])}#post-{post.pk}"))


@login_required
@require_POST
def pin_post(request: MemberRequest, post_id: int) -> HttpResponse:
    me = request.member
    post, _ = access.access_post(me, post_id)
    pin = request.POST.get("pin") != "0"
    with show_errors(request) as attempt:
        actions.do_pin_post(me, post, pin)
    if attempt.ok:
        messages.success(request, "Pinned to the top of the group." if pin else "Unpinned.")
    return redirect("community:group", group_id=post.group_id)


@login_required
def photo(request: MemberRequest, post_id: int) -> FileResponse:
    """A shared photo, only for members of the post's group (never a public media URL)."""
    post, _ = access.access_post(request.member, post_id)
    if not post.photo:
        raise Http404
    try:
        handle = default_storage.open(post.photo, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=photos.content_type_of(post.photo))
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


# --- The feed ------------------------------------------------------------------------------


@login_required
def feed(request: MemberRequest) -> HttpResponse:
    """Newest first across the member's groups, one page at a time."""
    me = request.member
    memberships = list(access.my_groups(me))
    last_read = {m.group_id: m.last_read_at for m in memberships}
    number = _page_number(request)
    ids = feed_post_ids(list(last_read), (number - 1) * PAGE_SIZE, PAGE_SIZE + 1, me.pk)
    by_id = _post_queryset(me).in_bulk(ids[:PAGE_SIZE])
    posts = [by_id[i] for i in ids[:PAGE_SIZE] if i in by_id]
    pager = {"number": number, "has_next": len(ids) > PAGE_SIZE, "has_previous": number > 1}
    decorate_posts(me, posts, last_read)
    return render(
        request,
        "community/feed.html",
        {
            "posts": posts,
            "pager": pager,
            "has_groups": bool(memberships),
            "live_socket": "/ws/community/feed/",
            "panels": panels_for(request, "feed") if memberships else [],
            **_post_context(request),
        },
    )
