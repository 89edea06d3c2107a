"""Everything reachable: from each role's home page, following links, a person finds every page they may use.

The world is the demo organisation (every app's realistic rows). For each role the test signs in as the demo
account and walks the site as a person would: it follows links (``<a href>``, ``<img src>``), GET forms, and
redirects, and counts a POST form's target as reached (that's how a person uses it). Then it asks which views
that person *may* use — not from a hand-kept list but from the URL patterns themselves and the policy the views
enforce: a view is usable if a GET of it, with the ids of real demo rows, answers 200 for that person. Any
usable view the walk didn't reach is reported, with an example address.

Links that lead a person to a refusal (403/404) or a missing page are reported too: menus show each role what
it may use, and nothing else.

Views reached only some other way are listed in ``NOT_BY_LINKS`` with the reason.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.http import HttpResponseForbidden, HttpResponseNotFound
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from time_machine import TimeMachineFixture

from hearth.members.models import Member
from hearth.testing import DEMO_NOW, sign_in

NOW = DEMO_NOW  # the demo organisation's evening: drop-ins and gatherings coming up, shifts running

ROLES = {
    "member": "member@example.org",
    "volunteer": "volunteer@example.org",
    "peer worker": "peerworker@example.org",
    "counsellor": "counsellor@example.org",
    "coordinator": "coordinator@example.org",
}

# Views a person reaches some way other than a link on a page, and why. (Reviewed: each has its way in.)
NOT_BY_LINKS = {
    "core:health": "for load balancers and monitoring",
    "core:ready": "for load balancers and monitoring",
    "core:metrics": "for Prometheus, with a token",
    "core:counts": "the header's live count (header.js)",
    "core:banners": "fetched by alerts.js after a dropped connection",
    "core:service_worker": "registered by header.js",
    "core:manifest": "read by the browser from <link rel=manifest> to install the app",
    "core:offline": "shown by the service worker when a page has no offline copy",
    "community:post_fragment": "fetched by live.js when a post changes",
    "chat:coming_up": "fetched by live.js when a gathering is announced",
    "members:signin": "for people who are signed out",
    "members:verify": "after signing in, when two-factor is on",
    "members:signup": "for people who are signed out (open sign-up)",
    "members:join": "the invitation link someone shares",
    "members:confirm_email": "the link in the confirmation email",
    "members:password_reset": "linked from the sign-in page, for people who are signed out",
    "members:password_reset_done": "after asking for a reset",
    "members:password_reset_confirm": "the link in the reset email",
    "members:password_reset_complete": "after setting a new password",
    "safety:appeal": "the link in the decision email (and on 'Your reports and decisions' when there is one)",
    "care:wellbeing_api": "trackers push scores with a bearer token",
    "safety:support": "shown at once after writing something triage reads as a crisis",
    "safety:signposts": "offered quietly after writing about something other services help with",
    "admin:": "Django's admin site, for operators only",
    "availability:talk_message": "'Leave a message' on Talk to someone, shown while nobody is on duty (the demo has "
    "a peer worker on duty now; availability's talk-now tests and e2e/test_talk_now.py follow that link)",
    "chat:review": "from a moderation item about a message in a one-to-one ('See it in place'), once a report "
    "or crisis opened it",
}


# Where real ids for each URL parameter come from (the probe tries them until one answers 200).
def _candidates() -> dict[str, list[Any]]:
    from hearth.availability.models import CoverRequest, OpenShift, ShiftPattern, TalkRequest
    from hearth.chat.models import (
        BuddyPair,
        Call,
        Conversation,
        Gathering,
        GatheringSeries,
        Message,
        Room,
        Slot,
        TimePoll,
    )
    from hearth.community.models import Group, Post
    from hearth.insights import measures, registry
    from hearth.intake.models import Assessment, QuestionnaireVersion
    from hearth.safety.models import CrisisAlert, ModerationItem
    from hearth.signposting.models import Referral, Resource
    from hearth.team.models import Application

    def pks(model: Any) -> list[int]:
        return list(model.objects.order_by("pk").values_list("pk", flat=True))

    return {
        "group_id": pks(Group),
        "post_id": pks(Post),
        "room_id": pks(Room),
        "message_id": pks(Message),
        "gathering_id": pks(Gathering),
        "conversation_id": pks(Conversation),
        "call_id": pks(Call),
        "series_id": pks(GatheringSeries),
        "poll_id": pks(TimePoll),
        "slot_id": pks(Slot),
        "pair_id": pks(BuddyPair),
        "member_id": pks(Member),
        "assessment_id": pks(Assessment),
        "number": list(QuestionnaireVersion.objects.values_list("number", flat=True)),
        "resource_id": pks(Resource),
        "referral_id": pks(Referral),
        "item_id": pks(ModerationItem),
        "alert_id": pks(CrisisAlert),
        "application_id": pks(Application),
        "request_id": pks(TalkRequest),
        "pattern_id": pks(ShiftPattern),
        "cover_id": pks(CoverRequest),
        "offer_id": pks(OpenShift),
        "key": [m.key for m in registry.metrics()],
        "measure": list(measures.QUESTIONNAIRES),
        "token": [],  # tokens come by email or on a page; nothing to guess
    }


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.follow: list[str] = []  # GET: links, images, GET forms
        self.posts: list[str] = []  # POST forms' targets

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.follow.append(a["href"] or "")
        elif tag == "img" and a.get("src"):
            self.follow.append(a["src"] or "")
        elif tag == "form":
            action = a.get("action") or ""
            if (a.get("method") or "get").lower() == "post":
                self.posts.append(action)
            else:
                self.follow.append(action)


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


@dataclass
class Walk:
    reached: dict[str, str] = field(default_factory=dict)  # view name -> an address that reached it
    bad_links: list[str] = field(default_factory=list)
    pages: int = 0


PER_VIEW = 6  # addresses visited per view: enough to see what each kind of page links to
# Pages whose links depend on whom they are about: every address is visited (a person page shows a link to
# someone's questionnaire results only when that person chose to share them).
EVERY_ADDRESS = {"care:person"}
MAX_PAGES = 600


def walk(client: Client) -> Walk:
    result = Walk()
    seen: set[str] = set()
    per_view: dict[str, int] = defaultdict(int)
    queue: deque[tuple[str, str]] = deque([("/", "(start)")])
    while queue and result.pages < MAX_PAGES:
        address, found_on = queue.popleft()
        path = urlsplit(address).path
        if path in seen:
            continue
        seen.add(path)
        view = _route(path)
        if view is None:
            result.bad_links.append(f"{address} (linked from {found_on}) is not a page")
            continue
        if per_view[view] >= PER_VIEW and view not in EVERY_ADDRESS:
            result.reached.setdefault(view, address)
            continue
        per_view[view] += 1
        response = client.get(address)
        result.pages += 1
        if response.status_code in (301, 302):
            result.reached.setdefault(view, address)
            queue.append((urljoin(address, response["Location"]), address))
            continue
        if response.status_code != 200:
            result.bad_links.append(f"{address} (linked from {found_on}) answered {response.status_code}")
            continue
        result.reached.setdefault(view, address)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.follow:
            target = _local(address, href)
            if target:
                queue.append((target, address))
        for action in parser.posts:
            target = _local(address, action)
            name = _route(urlsplit(target).path) if target else None
            if name:
                result.reached.setdefault(name, target or "")
    return result


def _local(base: str, href: str) -> str | None:
    """The same-site address a link points to (no fragment), or None for elsewhere, static files, phone numbers."""
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "sms:", "javascript:")):
        return None
    url = urlsplit(urljoin("http://testserver" + base, href))
    if url.netloc != "testserver" or url.path.startswith(("/static/", "/media/", "/ws/")):
        return None
    return url.path + (f"?{url.query}" if url.query else "")


def _patterns(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    """Every named view as ``(view name, route)``, e.g. ``("chat:room", "chat/rooms/<int:room_id>/")``."""
    out: list[tuple[str, str]] = []
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            out += _patterns(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            out.append((namespace + p.name, prefix + str(p.pattern)))
    return out


def usable_but_unreached(client: Client, reached: set[str]) -> dict[str, str]:
    """Views this person may use (a GET answers 200 with some real id) that the walk never reached."""
    import re

    candidates = _candidates()
    missing: dict[str, str] = {}
    for name, route in _patterns():
        if name in reached or name in NOT_BY_LINKS or name.split(":")[0] + ":" in NOT_BY_LINKS:
            continue
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        unknown = [p for p in params if p not in candidates]
        assert not unknown, f"{name}: say where ids for {unknown} come from in _candidates()"
        refused = 0
        for address in _addresses(route, params, candidates):
            status = client.get(address).status_code
            if status == 200:
                missing[name] = address
                break
            if status == 405:
                break  # a form's target, not a page (reached when a page's form posts to it)
            refused += status == 403
            if refused >= 3:
                break  # refused by role, whatever the id (object-level refusals are 404s)
    return missing


def _addresses(route: str, params: list[str], candidates: dict[str, list[Any]]) -> list[str]:
    import re

    if not params:
        return ["/" + route.replace("^", "").replace("$", "")]
    if len(params) > 1:
        raise AssertionError(f"{route}: teach the probe about routes with several parameters")
    return ["/" + re.sub(r"<[^>]+>", str(value), route) for value in candidates[params[0]]]


pytestmark = pytest.mark.usefixtures("demo_organisation")  # seeded once for this module


@pytest.fixture
def demo(db: None, time_machine: TimeMachineFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    time_machine.move_to(NOW, tick=False)
    # Only the status of a refusal matters here (the page itself is tested in test_navigation.py), and the probe meets
    # hundreds of them: answer them without rendering the page.
    monkeypatch.setattr("hearth.urls.handler403", lambda request, exception=None: HttpResponseForbidden())
    monkeypatch.setattr("hearth.urls.handler404", lambda request, exception=None: HttpResponseNotFound())


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_a_role_may_use_is_reachable_from_its_home_page(role: str, demo: None) -> None:
    client = sign_in(Client(), Member.objects.get(email=ROLES[role]))
    result = walk(client)
    assert result.pages < MAX_PAGES, "the walk ran out of budget: raise MAX_PAGES or lower PER_VIEW"
    missing = usable_but_unreached(client, set(result.reached))
    problems = [f"{name}: usable at {address} but no link leads there" for name, address in sorted(missing.items())]
    problems += result.bad_links
    assert not problems, f"{role} ({result.pages} pages walked):\n" + "\n".join(problems)
