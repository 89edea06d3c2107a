// The live room: enhances the plain-HTML page (history + send form) with the websocket.
// It tells the truth about what was sent: a message shows at once as "Sending…", becomes an ordinary
// message only when the server acknowledges it (it is stored by then), says "Not sent" with a way to try
// again when the server refuses it, and waits visibly while the connection is down. Reconnects resume from
// the last seq with no gap ("contiguous"), and retried sends reuse their client_id so the server stores
// each message once. A jump in seqs still open after a quarter of a second (a "gap" frame at once: the server
// had to skip frames for a slow connection) is filled on the same socket with resume_after; a "slow_down" frame (the server is over capacity,
// nothing was stored) sends the message again after the time it gives. Reconnects wait a random part of a
// growing delay, so a restarted server isn't met by every page at the same instant. Messages that arrive live get the same Edit / Delete / Hide / Report tools as the
// server-rendered ones (_message.html), built from the URLs on #chat.
(() => {
  "use strict";
  const root = document.getElementById("chat");
  if (!root || !("WebSocket" in window)) return;
  const roomId = root.dataset.room;
  const me = Number(root.dataset.me);
  const firstPage = root.dataset.page === "1";
  const facilitating = root.dataset.facilitating === "1";
  const hosting = root.dataset.hosting === "1";
  const list = document.getElementById("messages");
  const form = document.getElementById("send-form");
  const body = form.querySelector("textarea[name=body]");
  const status = document.getElementById("chat-status");
  const typing = document.getElementById("typing");
  const presence = document.getElementById("presence");
  const hands = document.getElementById("hands");
  const noHands = document.getElementById("no-hands");
  const handForm = document.getElementById("hand-form");
  const handButton = document.getElementById("hand-button");
  const meter = document.getElementById("meter");
  const moderate = root.dataset.moderate === "1";
  const editMinutes = Number(root.dataset.editMinutes) || 10;
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]");

  let contiguous = Number(root.dataset.lastSeq) || 0; // every seq up to here is known
  const ahead = new Set(); // seqs seen beyond `contiguous`
  const pending = new Map(); // client_id -> body, sent but not acknowledged
  let ws = null;
  let isOpen = false;
  let backoff = 1000; // the ceiling of the next reconnect's random wait
  let filling = false; // a resume_after is on its way
  let lastTyping = 0;
  let typingTimer = null;
  let raised = handForm && handForm.querySelector("input[name=raise]").value === "0";

  function newClientId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function see(seq) {
    if (!seq || seq <= contiguous) return;
    ahead.add(seq);
    while (ahead.has(contiguous + 1)) {
      ahead.delete(contiguous + 1);
      contiguous += 1;
    }
  }

  // A jump in seqs waits this long before asking: with several server processes, a message sent to another
  // process can arrive a moment after a later one sent to ours, and asking at once would fetch it twice.
  const REORDER_MS = 250;
  let reorderTimer = null;

  function gapSeen() {
    if (reorderTimer) return;
    reorderTimer = setTimeout(() => {
      reorderTimer = null;
      if (ahead.size) fillGap();
    }, REORDER_MS);
  }

  // Something between `contiguous` and what we've seen is missing: ask for it now, on this socket.
  function fillGap() {
    if (filling || !isOpen) return;
    filling = true;
    // What we already hold beyond the gap isn't sent again.
    ws.send(JSON.stringify({ resume_after: contiguous, have: Array.from(ahead).slice(0, 2000) }));
  }

  function say(text) {
    status.textContent = text;
  }

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function urlFor(template, id) {
    return template.replace(/\/0\/$/, "/" + id + "/");
  }

  function postButton(action, label) {
    const f = el("form", "inline-form");
    f.method = "post";
    f.action = action;
    if (csrf) f.appendChild(csrf.cloneNode());
    const b = el("button", "link", label);
    b.type = "submit";
    f.appendChild(b);
    return f;
  }

  // The same tools as _message.html: your own recent text messages can be edited and deleted, moderators
  // can hide, and anyone else's can be reported.
  function tools(m) {
    const box = el("div", "chat-tools");
    const mine = m.sender && m.sender.id === me;
    const recent = Date.now() - new Date(m.created_at).getTime() <= editMinutes * 60000;
    if (mine && m.message_kind === "text" && recent) {
      const edit = el("a", "", "Edit");
      edit.href = urlFor(root.dataset.editUrl, m.id);
      box.appendChild(edit);
      box.appendChild(document.createTextNode(" "));
      box.appendChild(postButton(urlFor(root.dataset.deleteUrl, m.id), "Delete"));
    }
    if (moderate) {
      box.appendChild(document.createTextNode(" "));
      box.appendChild(postButton(urlFor(root.dataset.hideUrl, m.id), "Hide"));
    }
    if (!mine) {
      const report = el("a", "", "Report");
      report.href = root.dataset.reportUrl + m.id;
      report.appendChild(el("span", "visually-hidden", " this message"));
      box.appendChild(document.createTextNode(" "));
      box.appendChild(report);
    }
    return box;
  }

  function renderMessage(m) {
    const li = el("li", "chat-message" + (m.message_kind !== "text" ? " chat-" + m.message_kind : ""));
    li.id = "m" + m.id;
    li.dataset.id = m.id;
    li.dataset.seq = m.seq;
    li.appendChild(el("span", "chat-who", m.sender ? m.sender.name : "A former member"));
    li.appendChild(document.createTextNode(" "));
    const time = el("time", "muted", new Date(m.created_at).toTimeString().slice(0, 5));
    time.dateTime = m.created_at;
    li.appendChild(time);
    if (m.state === "hidden") li.appendChild(el("p", "chat-body muted", "Hidden by a moderator."));
    else if (m.state === "deleted") li.appendChild(el("p", "chat-body muted", "Message removed."));
    else {
      const p = el("p", "chat-body", m.body);
      if (m.state === "edited") p.appendChild(el("span", "muted", " (edited)"));
      li.appendChild(p);
      li.appendChild(tools(m));
    }
    return li;
  }

  // --- What you sent, until the server has it -------------------------------------------------------

  function pendingItem(clientId) {
    return document.getElementById("p" + clientId);
  }

  function showPending(clientId, text) {
    let li = pendingItem(clientId);
    if (!li) {
      li = el("li", "chat-message chat-pending");
      li.id = "p" + clientId;
      li.appendChild(el("span", "chat-who", "You"));
      li.appendChild(el("p", "chat-body", text));
      li.appendChild(el("p", "chat-state muted"));
      const empty = document.getElementById("empty");
      if (empty) empty.remove();
      list.appendChild(li);
    }
    li.classList.remove("chat-failed");
    setState(li, isOpen ? "Sending…" : "Waiting for the connection… it will be sent when we're back.");
    return li;
  }

  function setState(li, text, actions) {
    const state = li.querySelector(".chat-state");
    state.replaceChildren(document.createTextNode(text));
    for (const action of actions || []) {
      state.appendChild(document.createTextNode(" "));
      state.appendChild(action);
    }
  }

  function sendPending(clientId) {
    if (isOpen) ws.send(JSON.stringify({ kind: "send", client_id: clientId, body: pending.get(clientId) }));
    const li = showPending(clientId, pending.get(clientId));
    clearTimeout(li.slowTimer);
    li.slowTimer = setTimeout(() => {
      if (pending.has(clientId) && pendingItem(clientId)) setState(li, "Still sending… it will go as soon as the server answers.");
    }, 8000);
  }

  // The server is over capacity and stored nothing: say so, and send it again (same client_id) when it said.
  function later(clientId, ms) {
    const li = pendingItem(clientId);
    const wait = Math.max(500, Number(ms) || 1000);
    if (li) {
      clearTimeout(li.slowTimer);
      setState(li, "The room is very busy. Sending again in " + Math.ceil(wait / 1000) + (wait > 1000 ? " seconds…" : " second…"));
    }
    setTimeout(() => {
      if (pending.has(clientId)) sendPending(clientId);
    }, wait);
  }

  function settled(clientId) {
    const li = pendingItem(clientId);
    if (li) {
      clearTimeout(li.slowTimer);
      li.remove();
    }
    pending.delete(clientId);
  }

  function failed(clientId, reason) {
    const text = pending.get(clientId);
    pending.delete(clientId);
    const li = pendingItem(clientId) || showPending(clientId, text);
    clearTimeout(li.slowTimer);
    li.classList.add("chat-failed");
    const again = el("button", "link", "Try again");
    again.type = "button";
    again.addEventListener("click", () => {
      pending.set(clientId, text); // the same client_id: stored once however many times it's tried
      sendPending(clientId);
    });
    const change = el("button", "link", "Change it");
    change.type = "button";
    change.addEventListener("click", () => {
      li.remove();
      if (!body.value) body.value = text;
      body.focus();
    });
    setState(li, "Not sent: " + reason, [again, change]);
  }

  function upsert(m) {
    const existing = document.getElementById("m" + m.id);
    const fresh = renderMessage(m);
    if (existing) {
      existing.replaceWith(fresh); // with the same tools the server would render now
      return false;
    }
    if (!firstPage) return true;
    const empty = document.getElementById("empty");
    if (empty) empty.remove();
    // Keep seq order even if two messages arrive out of order from different server processes.
    let before = null;
    for (const node of list.children) {
      if (Number(node.dataset.seq) > m.seq) {
        before = node;
        break;
      }
    }
    list.insertBefore(fresh, before);
    return true;
  }

  function updateMeter(m) {
    if (!meter || !m.sender || m.message_kind !== "text") return;
    let row = meter.querySelector('li[data-member="' + m.sender.id + '"]');
    if (!row) {
      row = el("li");
      row.dataset.member = m.sender.id;
      row.dataset.messages = "0";
      row.dataset.words = "0";
      row.appendChild(el("span", "chat-meter-name", m.sender.name));
      row.appendChild(document.createTextNode(" "));
      const bar = el("meter");
      bar.min = 0;
      bar.max = 100;
      row.appendChild(bar);
      row.appendChild(document.createTextNode(" "));
      row.appendChild(el("span", "chat-meter-count"));
      meter.appendChild(row);
    }
    row.dataset.messages = String(Number(row.dataset.messages) + 1);
    row.dataset.words = String(Number(row.dataset.words) + m.body.split(/\s+/).filter(Boolean).length);
    const rows = Array.from(meter.children);
    const total = rows.reduce((sum, r) => sum + Number(r.dataset.words), 0) || 1;
    for (const r of rows) {
      const share = Math.round((100 * Number(r.dataset.words)) / total);
      const bar = r.querySelector("meter");
      bar.value = share;
      bar.textContent = share + "%";
      const n = Number(r.dataset.messages);
      const w = Number(r.dataset.words);
      r.querySelector(".chat-meter-count").textContent =
        n + (n === 1 ? " message, " : " messages, ") + w + (w === 1 ? " word" : " words");
    }
    document.getElementById("meter-empty").hidden = true;
    showDominance(rows, total);
  }

  // Same rule as access.dominant_speaker: with enough people and words, one person has most of the words.
  function showDominance(rows, total) {
    const cue = document.getElementById("meter-cue");
    if (!cue) return;
    const top = rows.reduce((best, r) => (!best || Number(r.dataset.words) > Number(best.dataset.words) ? r : best), null);
    const share = top ? Math.round((100 * Number(top.dataset.words)) / total) : 0;
    const on = rows.length >= Number(cue.dataset.speakers) && total >= Number(cue.dataset.words) && share >= Number(cue.dataset.share);
    if (on) {
      const name = top.querySelector(".chat-meter-name").firstChild.textContent.trim();
      document.getElementById("meter-cue-who").textContent = name + " has written " + share + "% of the words so far.";
    }
    cue.hidden = !on;
  }

  function showHands(queue) {
    hands.replaceChildren();
    raised = false;
    for (const h of queue) {
      if (h.id === me) raised = true;
      const li = el("li", "", h.name);
      li.dataset.member = h.id;
      if (facilitating) {
        li.appendChild(document.createTextNode(" "));
        const b = el("button", "link", "Lower " + h.name + "'s hand");
        b.type = "button";
        b.dataset.clear = h.id;
        li.appendChild(b);
      }
      hands.appendChild(li);
    }
    noHands.hidden = queue.length > 0;
    if (handButton) handButton.textContent = raised ? "Lower my hand" : "Raise my hand";
  }

  function minutesSince(iso) {
    return Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
  }

  // Presence by differences: the whole list once (on connect, after a gap), then who arrived and who left.
  let here = new Map(); // member id -> {id, name, since}

  function presenceChanged() {
    const people = Array.from(here.values()).sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : 0));
    showPresence(people);
  }

  function showPresence(people) {
    presence.textContent = "Here now: " + (people.map((p) => p.name).join(", ") || "nobody yet");
    const waiting = document.getElementById("waiting");
    if (!hosting || !waiting) return;
    waiting.replaceChildren();
    for (const p of people) {
      if (p.id === me) continue;
      const li = el("li");
      li.dataset.since = p.since;
      li.dataset.name = p.name;
      waiting.appendChild(li);
    }
    refreshWaiting();
  }

  function refreshWaiting() {
    const waiting = document.getElementById("waiting");
    if (!waiting) return;
    for (const li of waiting.children) {
      const name = li.dataset.name || li.textContent.split(" has")[0];
      li.dataset.name = name;
      const n = minutesSince(li.dataset.since);
      li.textContent = name + " has been waiting " + (n < 1 ? "less than a minute" : n === 1 ? "1 minute" : n + " minutes");
    }
  }

  function notify(text) {
    say(text);
    if (hosting && "Notification" in window && Notification.permission === "granted" && document.hidden) {
      new Notification(text);
    }
  }

  // After a message triage reads as a crisis: a calm offer beside the conversation, never a wall.
  function showSupport(url) {
    if (document.getElementById("support-offer")) return;
    const box = document.createElement("section");
    box.id = "support-offer";
    box.className = "card support-offer";
    box.setAttribute("role", "status");
    const text = document.createElement("p");
    text.textContent = "You don't have to go through this alone. We've let someone from the team know. ";
    const link = document.createElement("a");
    link.href = url;
    link.textContent = "See who you can talk to right now";
    text.appendChild(link);
    box.appendChild(text);
    const target = body.form;
    target.parentNode.insertBefore(box, target);
  }

  function handle(event) {
    switch (event.kind) {
      case "chat.message":
      case "chat.message.changed": {
        if (event.kind === "chat.message" && event.seq > contiguous + 1 && !ahead.has(event.seq)) gapSeen();
        see(event.seq);
        see(event.changed_seq);
        const added = upsert(event);
        if (added && event.kind === "chat.message") updateMeter(event);
        if (event.sender && event.sender.id === me && event.client_id) settled(event.client_id);
        break;
      }
      case "ack":
        if (event.held) {
          const li = pendingItem(event.client_id);
          pending.delete(event.client_id);
          if (li) {
            clearTimeout(li.slowTimer);
            li.classList.add("chat-held");
            setState(li, "Sent, and kept for a moderator to read before others see it.");
          }
        } else {
          settled(event.client_id);
        }
        see(event.seq);
        if (!pending.size) say("");
        break;
      case "error":
        if (event.client_id && pending.has(event.client_id)) failed(event.client_id, event.message);
        else say(event.message);
        break;
      case "slow_down":
        if (event.client_id && pending.has(event.client_id)) later(event.client_id, event.retry_after_ms);
        break;
      case "gap":
        fillGap();
        break;
      case "chat.typing":
        if (event.member === me) break;
        typing.textContent = event.name + " is typing…";
        clearTimeout(typingTimer);
        typingTimer = setTimeout(() => (typing.textContent = ""), 4000);
        break;
      case "chat.presence":
        here = new Map(event.present.map((p) => [p.id, p]));
        presenceChanged();
        break;
      case "chat.presence.arrived":
        here.set(event.member.id, event.member);
        presenceChanged();
        break;
      case "chat.presence.left":
        here.delete(event.member);
        presenceChanged();
        break;
      case "chat.hands":
        showHands(event.queue);
        break;
      case "chat.drop_in.arrived":
        notify(event.text);
        break;
      case "safety.support":
        showSupport(event.url);
        break;
      case "resumed":
        filling = false;
        if (event.seq > contiguous) {
          // Everything up to event.seq has now been sent to us (held messages never are).
          contiguous = event.seq;
          for (const seq of Array.from(ahead)) if (seq <= contiguous) ahead.delete(seq);
          while (ahead.has(contiguous + 1)) {
            ahead.delete(contiguous + 1);
            contiguous += 1;
          }
        }
        if (ahead.size) fillGap();
        say(pending.size ? "Sending…" : "");
        break;
      default:
        break;
    }
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(scheme + location.host + "/ws/chat/rooms/" + roomId + "/?after=" + contiguous);
    ws.onopen = () => {
      isOpen = true;
      filling = false;
      backoff = 1000;
      root.dataset.live = "1";
      for (const clientId of pending.keys()) sendPending(clientId);
    };
    ws.onmessage = (e) => handle(JSON.parse(e.data));
    ws.onclose = (e) => {
      isOpen = false;
      root.dataset.live = "0";
      if (e.code === 4401 || e.code === 4403) {
        say("You can't use this room any more. Reload the page to see why.");
        return;
      }
      say("Reconnecting… your messages are kept and will be sent.");
      for (const clientId of pending.keys()) {
        const li = pendingItem(clientId);
        if (li) setState(li, "Waiting for the connection… it will be sent when we're back.");
      }
      // "Full jitter": a random wait up to a ceiling that doubles, so after a restart the pages come back spread
      // out instead of all at once.
      setTimeout(connect, 250 + Math.random() * backoff);
      backoff = Math.min(backoff * 2, 30000);
    };
  }

  form.addEventListener("submit", (e) => {
    const text = body.value.trim();
    if (!isOpen || !text) return; // the plain form post still works
    e.preventDefault();
    const clientId = newClientId();
    pending.set(clientId, text);
    sendPending(clientId);
    body.value = "";
    body.focus();
  });
  body.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  body.addEventListener("input", () => {
    if (isOpen && Date.now() - lastTyping > 2000) {
      lastTyping = Date.now();
      ws.send(JSON.stringify({ kind: "typing" }));
    }
  });
  if (handForm) {
    handForm.addEventListener("submit", (e) => {
      if (!isOpen) return;
      e.preventDefault();
      ws.send(JSON.stringify({ kind: raised ? "clear_hand" : "raise_hand" }));
    });
  }
  hands.addEventListener("click", (e) => {
    const button = e.target.closest("[data-clear]");
    if (!button || !isOpen) return;
    e.preventDefault();
    ws.send(JSON.stringify({ kind: "clear_hand", member: Number(button.dataset.clear) }));
  });
  const background = document.getElementById("background-mode");
  if (background && "Notification" in window) {
    background.hidden = false;
    const label = () => {
      document.getElementById("background-status").textContent =
        Notification.permission === "granted"
          ? "You'll get a notification when someone arrives, even in another tab."
          : Notification.permission === "denied"
            ? "Notifications are blocked in this browser; keep this tab in view."
            : "";
    };
    label();
    // Ask for permission only after a click, never on page load.
    background.addEventListener("click", () => Notification.requestPermission().then(label));
  }
  if (hosting) setInterval(refreshWaiting, 30000);
  connect();
})();
