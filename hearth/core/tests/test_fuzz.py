"""No 500s: every view, as every role (and signed out), with malformed values — generated from the URL patterns.

The world is the demo organisation. For each role the test:

1. **finds the pages**: every URL pattern, with the ids of real demo rows (the reachability test's
   ``_candidates``), fetched until one answers; the forms on every page answered are kept (fields, hidden
   values, submit buttons), and each view's own source is read for the names it takes from ``GET``/``POST``
   and the Django forms it builds;
2. **breaks the address**: ids of 0, 18 digits and 40 digits, words and unicode where a token goes;
3. **breaks the query string**: each name a view reads, with each kind of bad value (:data:`KINDS`);
4. **breaks the forms**: each field of each form the role was shown, with each kind of bad value, left
   out, or given twice; and posts the names a view reads (its forms' fields) where no form was seen;
5. **breaks the body** of views that read it (the wellbeing API, push devices): JSON nested 50,000 deep,
   a CSV field of 140,000 characters, bytes that aren't UTF-8.

Every request runs in a savepoint that is rolled back, so each one meets the demo as it was (a form that
deletes the account or signs out doesn't spoil the ones after it). Nothing may answer 500, and a 400 must
come with the error page (a way back and the help link), not a bare response.

A new view or form is covered without editing this file. The normal suite runs a quick pass (three roles, one
bad value per place, each kind taken in turn); ``make fuzz`` (``-m fuzz``) runs every kind everywhere as every role
(about 5,000 requests a role, ten minutes on two cores: too long for ``make test``, run it before a release). ``FUZZ_VIEWS=chat:`` limits it to views whose name starts with that while you work.
"""

from __future__ import annotations

import inspect
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django import forms as django_forms
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponseForbidden, HttpResponseNotFound
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from time_machine import TimeMachineFixture

from hearth.core.tests.test_reachable import NOW, _candidates
from hearth.members.models import Member

ROLES: dict[str, str | None] = {
    "signed out": None,
    "member": "member@example.org",
    "volunteer": "volunteer@example.org",
    "peer worker": "peerworker@example.org",
    "counsellor": "counsellor@example.org",
    "coordinator": "coordinator@example.org",
}

# The kinds of bad value tried in each query name and form field.
KINDS = {
    "a word": "abc",
    "negative": "-1",
    "huge": "9" * 40,
    "bad date": "2026-02-30",
    "unicode": "Zoë 💬 \u202e日本 ",
    "null byte": "1\x00",
    "over-long": "é💬" * 35_000,
    "blank": "",
}
QUERY_KINDS = ("a word", "negative", "huge", "bad date", "unicode", "null byte")
BODIES = {
    "deep JSON": (b"[" * 50_000 + b"]" * 50_000, "application/json"),
    "deep JSON object": (b'{"a":' * 30_000 + b"1" + b"}" * 30_000, "application/json"),
    "long CSV field": (b"date,stress\n2026-11-20," + b"9" * 140_000 + b"\n", "text/csv"),
    "not UTF-8": (b"\xff\xfe\x00[{", "application/json"),
}
ID_SEGMENTS = ("0", "9" * 18, "9" * 40)
TEXT_SEGMENTS = ("abc", quote("Zoë💬"), "x" * 500, "%00")


@dataclass
class Form:
    method: str
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, input type, value)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # submit buttons' (name, value)


class _Forms(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        form = self._form
        if tag == "form":
            self._form = Form((a.get("method") or "get").lower(), a.get("action") or self.page)
            self.forms.append(self._form)
        elif form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                form.buttons.append((a["name"], a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a or not any(n == a["name"] for n, _, _ in form.fields):
                    form.fields = [f for f in form.fields if f[0] != a["name"]]
                    form.fields.append((a["name"], kind, a.get("value", "on")))
            elif kind != "file":
                form.fields.append((a["name"], kind, a.get("value", "")))
        elif tag == "button" and a.get("type", "submit") == "submit":
            form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = a["name"]
            form.fields.append((a["name"], "select", ""))
        elif tag == "option" and self._select is not None:
            name, kind, value = form.fields[-1]
            if not value or "selected" in a:
                form.fields[-1] = (name, kind, a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a["name"]
            form.fields.append((a["name"], "textarea", ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and self._form is not None and self._form.fields:
            name, kind, value = self._form.fields[-1]
            self._form.fields[-1] = (name, kind, value + data)


@dataclass
class View:
    name: str
    route: str
    params: list[tuple[str, str]]  # (converter, name)
    get_names: set[str]
    post_names: set[str]
    reads_body: bool


def _views() -> list[View]:
    out = []

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue  # Django's own admin, for operators
                walk(p, prefix + str(p.pattern), f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                route = prefix + str(p.pattern)
                get_names, post_names, body = _reads(p.callback)
                params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
                out.append(View(namespace + p.name, route, params, get_names, post_names, body))

    walk(get_resolver(), "", "")
    only = os.environ.get("FUZZ_VIEWS", "")
    return [v for v in out if v.name.startswith(only)]


_READ = re.compile(r"""(GET|POST|data)\.get(?:list)?\(\s*["']([\w-]+)["']""")


def _reads(callback: Any) -> tuple[set[str], set[str], bool]:
    """The names a view reads from GET and POST, by its source (and the fields of the forms it builds)."""
    view = inspect.unwrap(callback)
    if hasattr(callback, "view_class"):
        return set(), set(), False
    try:
        source = inspect.getsource(view)
    except (OSError, TypeError):
        return set(), set(), False
    module = inspect.getmodule(view)
    get_names: set[str] = set()
    post_names: set[str] = set()
    for where, name in _READ.findall(source):
        (get_names if where == "GET" else post_names).add(name)
    for word in set(re.findall(r"\b([A-Z]\w*Form)\(", source)):
        form = getattr(module, word, None)
        if isinstance(form, type) and issubclass(form, (django_forms.Form, django_forms.ModelForm)):
            post_names |= set(form.base_fields)
    return get_names, post_names, "request.body" in source


@dataclass
class Findings:
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    bare_400s: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)


class Fuzzer:
    def __init__(self, client: Client, findings: Findings) -> None:
        self.client = client
        self.findings = findings

    def send(self, method: str, path: str, what: str, data: Any = None, **extra: Any) -> Any:
        """One request in a savepoint that is rolled back (and the cookies and cache as they were)."""
        cookies = self.client.cookies
        self.client.cookies = type(cookies)(cookies)
        with transaction.atomic():
            if method == "get":
                response = self.client.get(path, data, **extra)
            else:
                response = self.client.post(path, data if data is not None else {}, **extra)
            transaction.set_rollback(True)
        self.client.cookies = cookies
        cache.clear()
        self.findings.requests += 1
        self.findings.statuses[response.status_code] += 1
        if response.status_code == 500:
            exc_info = getattr(response, "exc_info", None)
            error = exc_info[1] if exc_info else None
            where = ""
            if error is not None:
                tb = error.__traceback__
                while tb and tb.tb_next:
                    if "/hearth/" in tb.tb_next.tb_frame.f_code.co_filename:
                        where = f"{tb.tb_next.tb_frame.f_code.co_filename.split('/hearth/')[-1]}:{tb.tb_next.tb_lineno}"
                    tb = tb.tb_next
            self.findings.errors.append(
                f"{method.upper()} {path[:120]} {what}: {response.status_code} {type(error).__name__}: "
                f"{str(error)[:120]} at {where}"
            )
        elif response.status_code == 400 and not _explains(response):
            self.findings.bare_400s.append(f"{method.upper()} {path[:120]} {what}")
        return response


def _explains(response: Any) -> bool:
    """A 400 says what was wrong: the error page (a way back and the help link), or JSON with an error."""
    if response.get("Content-Type", "").startswith("application/json"):
        return b'"error"' in response.content
    return b"help" in response.content


class Kinds:
    """The bad values to try. Full: every kind everywhere. Quick (the normal suite): one kind per place, taken
    in turn, so every kind is still tried, across the walk, at each kind of place (address, query, field)."""

    def __init__(self, full: bool) -> None:
        self.full = full
        self.turn = 0

    def pick(self, given: Any) -> list[Any]:
        kinds: list[Any] = list(given)
        if self.full:
            return kinds
        self.turn += 1
        return [kinds[self.turn % len(kinds)]]


def _address(route: str, values: dict[str, Any]) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


def _route_of(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def fuzz_as(client: Client, bearer: str | None, *, full: bool = True) -> Findings:
    findings = Findings()
    fuzz = Fuzzer(client, findings)
    kinds = Kinds(full)
    candidates = _candidates()
    views = _views()
    pages: dict[str, str] = {}  # view name -> an address that answered (the real ids)
    forms: dict[tuple[Any, ...], Form] = {}
    for view in views:
        names = [n for _, n in view.params]
        pools = [candidates.get(n) or ["1"] for n in names]
        if len(names) == 1:
            choices = [{names[0]: v} for v in pools[0][:3]]
        else:
            choices = [{n: pool[0] for n, pool in zip(names, pools, strict=True)}]
        address = first = _address(view.route, choices[0])
        response = None
        for values in choices:
            address = _address(view.route, values)
            response = fuzz.send("get", address, "(as it is)")
            if response.status_code == 200:
                break
        assert response is not None
        pages[view.name] = address if response.status_code == 200 else first
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            parser = _Forms(address)
            parser.feed(response.content.decode())
            for form in parser.forms:
                key = (
                    form.method,
                    _route_of(form.action),
                    tuple(sorted(n for n, _, _ in form.fields)),
                    tuple(form.buttons),
                )
                if key[1] and key not in forms:
                    forms[key] = form

    get_form_names: dict[str, set[str]] = defaultdict(set)
    for form in forms.values():
        if form.method == "get" and (name := _route_of(form.action)):
            get_form_names[name] |= {n for n, _, _ in form.fields}

    for view in views:
        page = pages[view.name]
        # 2. The address.
        names = [n for _, n in view.params]
        real = {n: (candidates.get(n) or ["1"])[0] for n in names}
        for converter, name in view.params:
            # Every token kind even in the quick pass: few views take one, and a NUL there reached PostgreSQL once.
            segments = kinds.pick(ID_SEGMENTS) if converter in ("id", "int") else TEXT_SEGMENTS
            for segment in segments:
                broken = _address(view.route, {**real, name: segment})
                fuzz.send("get", broken, f"({name} in the address is {segment[:20]!r})")
                if full:
                    fuzz.send("post", broken, f"({name} in the address is {segment[:20]!r})")
        # 3. The query string.
        for name in sorted(view.get_names | get_form_names[view.name]):
            for kind in kinds.pick(QUERY_KINDS):
                fuzz.send("get", f"{page}?{urlencode({name: KINDS[kind]})}", f"({name} is {kind})")
            if full:
                fuzz.send("get", f"{page}?{urlencode([(name, '1'), (name, 'abc')])}", f"({name} twice)")
        # 5. The body.
        if view.reads_body:
            headers = {"HTTP_AUTHORIZATION": f"Bearer {bearer}"} if bearer else {}
            for kind, (body, content_type) in BODIES.items():  # always all: few views read a body
                fuzz.send("post", page, f"({kind})", body, content_type=content_type, **headers)

    # 4. The forms.
    posted: set[str | None] = set()
    for form in forms.values():
        if form.method != "post":
            continue
        view_name = _route_of(form.action)
        posted.add(view_name)
        base = {name: value for name, _, value in form.fields}
        variants = [dict(base, **dict([b])) for b in form.buttons if b[0]] or [base]
        for n, variant in enumerate(variants if full else variants[:2]):
            if full:
                fuzz.send("post", form.action, f"({view_name}, as the page fills it)", variant)
            if not full and n == 0:
                fuzz.send("post", form.action, f"({view_name}, nothing filled in)", {})
            for name in sorted(variant):
                if name == "csrfmiddlewaretoken":
                    continue
                for kind in kinds.pick(KINDS) if n == 0 else kinds.pick(["a word", "huge"]):
                    fuzz.send("post", form.action, f"({name} is {kind})", {**variant, name: KINDS[kind]})
                if n == 0 and full:
                    fuzz.send("post", form.action, f"(no {name})", {k: v for k, v in variant.items() if k != name})
                    fuzz.send("post", form.action, f"({name} twice)", {**variant, name: [variant[name], "abc"]})
    for view in views:
        if view.name in posted or not view.post_names:
            continue
        for name in sorted(view.post_names):
            for kind in kinds.pick(("a word", "huge", "null byte", "over-long")):
                fuzz.send("post", pages[view.name], f"({name} is {kind}, no form seen)", {name: KINDS[kind]})
    return findings


pytestmark = pytest.mark.usefixtures("demo_organisation")  # seeded once for this module


@pytest.fixture
def demo(db: None, time_machine: TimeMachineFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    time_machine.move_to(NOW, tick=False)
    # Thousands of refusals: only their status matters here (the pages are tested in test_navigation.py).
    monkeypatch.setattr("hearth.urls.handler403", lambda request, exception=None: HttpResponseForbidden())
    monkeypatch.setattr("hearth.urls.handler404", lambda request, exception=None: HttpResponseNotFound())


def _bearer(person: Member | None) -> str | None:
    """A wellbeing token for this person (so the API's parser is reached with their bodies)."""
    from hearth.care import actions as care_actions
    from hearth.care import cues
    from hearth.members.actions import do_set_consent

    if person is None:
        return None
    do_set_consent(person, cues.WELLBEING.key, cues.AUDIENCES[-1].key)
    return care_actions.do_create_token(person, "Fuzz")[1]


# The normal suite: signed out, a member and a coordinator (who has every staff page), one bad value per place.
QUICK_ROLES = ("signed out", "member", "coordinator")


def _fuzz(role: str, *, full: bool) -> None:
    client = Client(raise_request_exception=False)
    person = Member.objects.get(email=ROLES[role]) if ROLES[role] else None
    if person is not None:
        client.force_login(person)
    findings = fuzz_as(client, _bearer(person), full=full)
    print(f"{role}: {findings.requests} requests, {len(findings.errors)} server errors, {dict(findings.statuses)}")
    assert findings.requests > 200, "the fuzz found too little to try: is the demo seeded?"
    assert not findings.errors, f"{role}: {len(findings.errors)} of {findings.requests} requests failed:\n" + (
        "\n".join(findings.errors)
    )
    assert not findings.bare_400s, "400s that don't say what was wrong:\n" + "\n".join(findings.bare_400s)


@pytest.mark.parametrize("role", QUICK_ROLES)
def test_no_malformed_request_gets_a_server_error(role: str, demo: None) -> None:
    _fuzz(role, full=False)


@pytest.mark.fuzz
@pytest.mark.parametrize("role", list(ROLES))
def test_no_malformed_request_gets_a_server_error_every_kind_everywhere(role: str, demo: None) -> None:
    _fuzz(role, full=True)
