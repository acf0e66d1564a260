// The sandbox's inspector: the live request journal, the state, the fault rules and overrides of
// the API on this port, read and changed through the sandbox's own routes (same-origin only).
// Everything it shows comes from requests, so it is written with textContent and attributes, never
// as HTML. No dependency, nothing off this origin (the page's Content-Security-Policy says so too).
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const maxRows = 500;
  const tokenKey = "cx-sandbox-admin-token";
  const state = { api: "", entries: new Map(), selected: undefined, namespaces: new Set([""]), stream: undefined };

  /** An element with text and attributes; children appended. Never HTML. */
  function el(tag, text, attrs = {}, children = []) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
    for (const child of children) node.append(child);
    return node;
  }

  /** An http(s) link; anything else (a javascript: URL) becomes plain text. */
  function link(href, text) {
    if (!/^https?:\/\//.test(String(href))) return el("span", text);
    return el("a", text, { href });
  }

  function show(message, ok = false) {
    const box = $("message");
    box.textContent = message;
    box.className = ok ? "message ok" : "message";
    box.hidden = message === "";
  }

  // ------------------------------------------------------------------ calls to the sandbox's routes

  function headers(extra = {}) {
    const all = { ...extra };
    const token = sessionStorage.getItem(tokenKey);
    if (token) all.authorization = `Bearer ${token}`;
    const namespace = $("namespace").value;
    if (namespace !== "*" && namespace !== "") all["x-sandbox-namespace"] = namespace;
    return all;
  }

  /** A call of a sandbox route; its JSON (or null), or an Error whose message is the sandbox's. */
  async function call(method, path, body) {
    const init = { method, headers: headers(body === undefined ? {} : { "content-type": "application/json" }) };
    if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
    const answer = await fetch(path, init);
    const text = await answer.text();
    const parsed = text ? safeJson(text) : null;
    if (answer.ok) return parsed;
    const message = parsed && typeof parsed.message === "string" ? parsed.message : `HTTP ${answer.status}`;
    if (answer.status === 403 && /admin token/.test(message)) $("token-form").hidden = false;
    throw new Error(message);
  }

  function safeJson(text) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  /** Runs an action; its failure shows in the message line, its success refreshes what it changed. */
  async function act(action, done) {
    try {
      await action();
      show("");
      if (done) await done();
    } catch (error) {
      show(error instanceof Error ? error.message : String(error));
    }
  }

  // ------------------------------------------------------------------ the port: name, version, links

  async function loadIndex() {
    const answer = await fetch("/", { headers: { accept: "application/json" } });
    const index = await answer.json();
    state.api = index.api;
    $("api-title").textContent = index.title;
    $("api-version").textContent = `v${index.version}`;
    document.title = `${index.title} · cx-sandbox inspector`;
    const nav = $("links");
    nav.replaceChildren();
    for (const [name, url] of Object.entries(index.links.apis)) {
      if (name !== index.api) nav.append(link(`${url}__sandbox/`, `${name} inspector`));
    }
    nav.append(link(`${index.links.apis[index.api]}`, "this port's index"));
    const read = index.operations.find((op) => op.method === "GET" && op.path.includes("{"));
    if (read) $("fault-input").value = JSON.stringify({ operationId: read.operationId, status: 503, retryAfter: 1, times: 1 });
    if (index.links.docs) nav.append(link(index.links.docs, "docs"), link(index.links.tryIt, "try it"));
    else nav.append(el("span", "docs: pnpm start or pnpm docs:build", { class: "muted", title: index.docs }));
  }

  // ------------------------------------------------------------------ the journal

  function visible(entry) {
    const namespace = $("namespace").value;
    return namespace === "*" || entry.namespace === namespace;
  }

  function faultText(fault) {
    if (!fault) return "";
    const parts = [];
    if (fault.status !== undefined) parts.push(String(fault.status));
    if (fault.effect) parts.push(fault.effect);
    if (fault.delayMs) parts.push(`+${fault.delayMs} ms`);
    return `${parts.join(" ")} (${fault.source})`;
  }

  function row(entry) {
    const violations = entry.violations.map((v) => `${v.side}: ${v.message}`);
    const statusClass = entry.status === null ? "status-none" : `status-${String(entry.status)[0]}`;
    const tr = el("tr", undefined, { "data-id": entry.id }, [
      el("td", entry.time.slice(11, 23), { title: entry.time }),
      el("td", entry.namespace || "(default)"),
      el("td", entry.method),
      el("td", entry.path, { title: entry.operationId ? `${entry.operationId}: ${entry.url}` : entry.url, class: "mono" }),
      el("td", entry.status === null ? "no answer" : entry.status, { class: statusClass }),
      el("td", entry.latencyMs.toFixed(1), { class: "num" }),
      el("td", faultText(entry.fault), { class: "fault" }),
      el("td", violations.length ? `${violations.length}: ${violations[0]}` : "", {
        class: "violations",
        title: violations.join("\n"),
      }),
    ]);
    if (violations.length) tr.classList.add("violations");
    if (entry.fault) tr.classList.add("faulted");
    tr.addEventListener("click", () => select(entry.id));
    return tr;
  }

  function select(id) {
    const entry = state.entries.get(id);
    state.selected = id;
    for (const tr of $("journal").tBodies[0].rows) tr.classList.toggle("selected", tr.dataset.id === String(id));
    $("detail").hidden = !entry;
    if (!entry) return;
    $("detail-title").textContent = `#${entry.id} ${entry.method} ${entry.url} → ${entry.status ?? "no answer"}`;
    $("detail-body").textContent = JSON.stringify(entry, null, 2);
  }

  /** Adds entries (any order) to the table, newest first, at most 500. */
  function addEntries(entries) {
    for (const entry of entries) {
      if (state.entries.has(entry.id)) continue;
      state.entries.set(entry.id, entry);
      noteNamespace(entry.namespace);
    }
    const ids = [...state.entries.keys()].sort((a, b) => b - a);
    for (const id of ids.slice(maxRows)) state.entries.delete(id);
    renderJournal();
  }

  function renderJournal() {
    const body = $("journal").tBodies[0];
    const shown = [...state.entries.values()].filter(visible).sort((a, b) => b.id - a.id);
    body.replaceChildren(...shown.map(row));
    $("journal-empty").hidden = shown.length > 0;
    if (state.selected !== undefined) select(state.selected);
  }

  function noteNamespace(namespace) {
    if (state.namespaces.has(namespace)) return;
    state.namespaces.add(namespace);
    $("namespace").append(el("option", namespace, { value: namespace }));
  }

  async function loadJournal() {
    addEntries(await call("GET", "/__sandbox/requests"));
  }

  /** The live feed: server-sent events read with fetch (so the admin token can go along). */
  async function follow() {
    const live = $("live");
    try {
      const answer = await fetch("/__sandbox/requests?stream", { headers: headers({ accept: "text/event-stream" }) });
      if (!answer.ok || !answer.body) throw new Error(answer.status === 429 ? "too many inspector tabs" : `HTTP ${answer.status}`);
      live.textContent = "live";
      live.className = "live on";
      // Subscribed: what came before is in the list, what comes next in the stream (ids dedupe).
      act(loadJournal);
      await readEvents(answer.body.getReader());
      live.textContent = "reconnecting…";
    } catch (error) {
      live.textContent = `not live (${error instanceof Error ? error.message : String(error)}); retrying`;
    }
    live.className = "live";
    setTimeout(follow, 2000);
  }

  async function readEvents(reader) {
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      const events = buffer.split("\n\n");
      buffer = events.pop() ?? "";
      const entries = events.flatMap((event) =>
        event
          .split("\n")
          .filter((line) => line.startsWith("data: "))
          .map((line) => JSON.parse(line.slice("data: ".length))),
      );
      if (entries.length) addEntries(entries);
    }
  }

  async function exportHar() {
    const answer = await fetch("/__sandbox/requests.har", { headers: headers() });
    if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
    const url = URL.createObjectURL(await answer.blob());
    const anchor = el("a", undefined, { href: url, download: "cx-sandbox.har" });
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  async function clearJournal() {
    const namespace = $("namespace").value;
    const query = namespace === "*" ? "" : `?namespace=${encodeURIComponent(namespace)}`;
    await call("DELETE", `/__sandbox/requests${query}`);
    for (const [id, entry] of state.entries) if (visible(entry)) state.entries.delete(id);
    renderJournal();
  }

  // ------------------------------------------------------------------ the state, as tables

  /** Where each API's tenants are in GET /__sandbox/state. */
  const stateParts = {
    "relay-cdm": { part: "relayCdm", tenants: "clients", label: "Client" },
    hiirelevate: { part: "hiirelevate", tenants: "tenants", label: "Tenant" },
  };

  function cellText(value) {
    if (value === null || value === undefined) return "";
    if (typeof value !== "object") return String(value);
    const text = JSON.stringify(value);
    return text.length > 160 ? `${text.slice(0, 157)}…` : text;
  }

  /** A record's fields, nested objects one level deep as `a.b`. */
  function flatten(record, prefix = "", depth = 0) {
    const flat = {};
    for (const [key, value] of Object.entries(record ?? {})) {
      const name = prefix ? `${prefix}.${key}` : key;
      if (value && typeof value === "object" && !Array.isArray(value) && depth < 1)
        Object.assign(flat, flatten(value, name, depth + 1));
      else flat[name] = value;
    }
    return flat;
  }

  function table(records, keyName) {
    const rows = records.map(([key, record]) => ({ [keyName]: key, ...flatten(record) }));
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const head = el("tr", undefined, {}, columns.map((c) => el("th", c)));
    const body = rows.map((r) => el("tr", undefined, {}, columns.map((c) => el("td", cellText(r[c]), { title: cellText(r[c]) }))));
    return el("div", undefined, { class: "scroll" }, [el("table", undefined, {}, [el("thead", undefined, {}, [head]), el("tbody", undefined, {}, body)])]);
  }

  function tenantSection(label, name, tenant) {
    const section = el("section", undefined, { class: "tenant" }, [el("h3", `${label} ${name}`)]);
    const facts = el("dl");
    for (const [key, value] of Object.entries(tenant)) {
      const records = Array.isArray(value) ? value.map((v, i) => [i, v]) : value && typeof value === "object" ? Object.entries(value) : undefined;
      if (records && records.length && records.every(([, v]) => v && typeof v === "object")) {
        section.append(el("h4", `${key} (${records.length})`), table(records, Array.isArray(value) ? "#" : "key"));
      } else facts.append(el("dt", key), el("dd", cellText(Array.isArray(value) && !value.length ? "none" : value)));
    }
    section.insertBefore(facts, section.children[1] ?? null);
    return section;
  }

  async function loadState() {
    const whole = await call("GET", "/__sandbox/state");
    const where = stateParts[state.api];
    const box = $("state");
    const namespace = $("namespace").value;
    $("state-namespace").textContent = namespace === "*" || namespace === "" ? "(default namespace)" : `namespace ${namespace}`;
    if (!where || !whole[where.part]) return box.replaceChildren(el("pre", JSON.stringify(whole, null, 2)));
    const part = whole[where.part];
    const tenants = Object.entries(part[where.tenants] ?? {});
    const sections = tenants.map(([name, tenant]) => tenantSection(where.label, name, tenant));
    const others = Object.entries(part).filter(([key, value]) => key !== where.tenants && Array.isArray(value) && value.length);
    for (const [key, value] of others) sections.push(el("h3", key), table(value.map((v, i) => [i, v]), "#"));
    box.replaceChildren(...(sections.length ? sections : [el("p", "Nothing stored yet.", { class: "muted" })]));
  }

  // ------------------------------------------------------------------ faults and overrides

  function ruleList(listId, path) {
    return async () => {
      const rules = (await call("GET", path)) ?? [];
      const items = rules.map((rule, i) => {
        const remove = el("button", "remove", { type: "button", title: "Remove this one" });
        remove.addEventListener("click", () =>
          act(() => call("PUT", path, rules.filter((_, j) => j !== i)), ruleList(listId, path)),
        );
        return el("li", undefined, {}, [el("code", JSON.stringify(rule)), remove]);
      });
      $(listId).replaceChildren(...(items.length ? items : [el("li", "none", { class: "muted" })]));
    };
  }

  const loadFaults = ruleList("faults", "/__sandbox/faults");
  const loadOverrides = ruleList("overrides", "/__sandbox/overrides");

  async function addRule(inputId, path) {
    let added;
    try {
      added = JSON.parse($(inputId).value);
    } catch (error) {
      throw new Error(`(${inputId}) is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    const current = (await call("GET", path)) ?? [];
    await call("PUT", path, [...current, ...(Array.isArray(added) ? added : [added])]);
  }

  // ------------------------------------------------------------------ wiring

  const refreshAdmin = () => Promise.all([loadState(), loadFaults(), loadOverrides()]);

  function wire() {
    const on = (id, handler) => $(id).addEventListener("click", handler);
    on("export-har", () => act(exportHar));
    on("clear-journal", () => act(clearJournal));
    on("refresh-state", () => act(loadState));
    on("add-fault", () => act(() => addRule("fault-input", "/__sandbox/faults"), loadFaults));
    on("clear-faults", () => act(() => call("DELETE", "/__sandbox/faults"), loadFaults));
    on("add-override", () => act(() => addRule("override-input", "/__sandbox/overrides"), loadOverrides));
    on("clear-overrides", () => act(() => call("DELETE", "/__sandbox/overrides"), loadOverrides));
    on("reset", () => act(() => call("POST", "/__sandbox/reset"), refreshAdmin));
    on("reset-all", () => act(() => call("POST", "/__sandbox/reset?api=all"), refreshAdmin));
    on("reseed", () => act(() => call("PUT", "/__sandbox/seed", $("seed-input").value), refreshAdmin));
    $("namespace").addEventListener("change", () => {
      renderJournal();
      act(refreshAdmin);
    });
    $("token-form").addEventListener("submit", (event) => {
      event.preventDefault();
      sessionStorage.setItem(tokenKey, $("token").value);
      $("token-form").hidden = true;
      act(start);
    });
  }

  async function start() {
    await loadIndex();
    await refreshAdmin();
  }

  wire();
  act(start).then(() => follow());
})();
