// The sandbox page: renders what the fake Slack holds as Block Kit, and sends what a person does to the
// sandbox server. Every string from the app or a person goes into the page through textContent (never
// innerHTML), so typed `<!channel>` or `<script>` shows as the characters typed.

const $ = (id) => document.getElementById(id);
const ui = { user: "", channel: "", tab: "channel" };
let state = null;
let feedKey = "";
let modalKey = "";
let busy = false;

// ---- small DOM helpers ------------------------------------------------------------------------

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "value") node.value = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) if (child) node.append(child);
  return node;
}

const decode = (s) => s.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
const plainText = (t) => decode(t?.text ?? "");
const userName = (id) => {
  if (id === "U0RATCHET") return "Ratchet";
  return state?.users.find((u) => u.id === id)?.real_name ?? id;
};
const channelName = (id) => state?.channels.find((c) => c.id === id)?.name ?? id;

// ---- mrkdwn as text ---------------------------------------------------------------------------

/** Slack's `<…>` tokens (mentions, links, dates) and *bold* / _italic_ / `code`, as DOM nodes. */
function mrkdwn(text) {
  const out = el("span", { class: "mrkdwn" });
  const tokens = /<([^<>]+)>/g;
  let last = 0;
  for (const m of text.matchAll(tokens)) {
    out.append(...inline(text.slice(last, m.index)));
    out.append(token(m[1]));
    last = m.index + m[0].length;
  }
  out.append(...inline(text.slice(last)));
  return out;
}

function token(inner) {
  const [target, label] = inner.split("|", 2);
  if (target.startsWith("@")) return el("b", { text: `@${label ?? userName(target.slice(1))}` });
  if (target.startsWith("#")) return el("b", { text: `#${label ?? channelName(target.slice(1))}` });
  if (target.startsWith("!date")) return document.createTextNode(decode(label ?? ""));
  if (target.startsWith("!")) return el("b", { text: `@${target.slice(1).split("^")[0]}` });
  if (/^(https?|mailto):/.test(target)) {
    return el("a", { href: target, target: "_blank", rel: "noopener", text: decode(label ?? target) });
  }
  return document.createTextNode(decode(`<${inner}>`));
}

function inline(text) {
  const nodes = [];
  const styles = /(\*[^*\n]+\*|_[^_\n]+_|`[^`\n]+`|~[^~\n]+~)/g;
  let last = 0;
  for (const m of text.matchAll(styles)) {
    nodes.push(document.createTextNode(decode(text.slice(last, m.index))));
    const inner = decode(m[0].slice(1, -1));
    const tag = { "*": "b", _: "i", "`": "code", "~": "s" }[m[0][0]];
    nodes.push(el(tag, { text: inner }));
    last = m.index + m[0].length;
  }
  nodes.push(document.createTextNode(decode(text.slice(last))));
  return nodes;
}

const textObject = (t) => (t?.type === "mrkdwn" ? mrkdwn(t.text ?? "") : el("span", { text: plainText(t) }));

// ---- Block Kit --------------------------------------------------------------------------------

/** `where` is what a click comes from: `{ message: { channelId, ts } }` or `{ viewId }`. */
function renderBlocks(blocks, where) {
  return (blocks ?? []).map((block) => renderBlock(block, where));
}

function renderBlock(block, where) {
  const wrap = (cls, children) =>
    el("div", { class: `block ${cls}`, "data-block": block.block_id }, children);
  switch (block.type) {
    case "header":
      return wrap("", [el("h3", { class: "header", text: plainText(block.text) })]);
    case "divider":
      return el("hr");
    case "section": {
      const body = el("div", {}, [
        block.text ? textObject(block.text) : null,
        block.fields ? el("div", { class: "fields" }, block.fields.map(textObject)) : null,
      ]);
      const accessory = block.accessory ? renderElement(block.accessory, block.block_id, where) : null;
      return wrap("section", [body, accessory]);
    }
    case "context":
      return wrap(
        "context",
        (block.elements ?? []).map((e) =>
          e.type === "image" ? el("img", { src: e.image_url, alt: e.alt_text, width: 16 }) : textObject(e),
        ),
      );
    case "actions":
      return wrap(
        "actions",
        (block.elements ?? []).map((e) => renderElement(e, block.block_id, where)),
      );
    case "image":
      return wrap("", [
        block.title ? el("div", { text: plainText(block.title) }) : null,
        el("img", { class: "image", src: imageSrc(block), alt: block.alt_text ?? "" }),
      ]);
    case "rich_text":
      return wrap("", [el("span", { class: "mrkdwn", text: richText(block) })]);
    default:
      return wrap("", [el("span", { class: "empty", text: `(${block.type} block)` })]);
  }
}

const imageSrc = (block) => (block.slack_file?.id ? `/files/${block.slack_file.id}` : block.image_url);
const richText = (block) =>
  JSON.stringify(block.elements ?? [])
    .match(/"text":"([^"]*)"/g)
    ?.map((t) => JSON.parse(`{${t}}`).text)
    .join("") ?? "";

function optionsOf(element) {
  const grouped = (element.option_groups ?? []).flatMap((g) => g.options ?? []);
  return [...(element.options ?? []), ...grouped];
}

/** An interactive element outside an input block: a click or choice is a block_actions request. */
function renderElement(element, blockId, where) {
  const act = (extra) =>
    post("/api/action", { user: ui.user, actionId: element.action_id, blockId, ...where, ...extra });
  switch (element.type) {
    case "button":
      return el("button", {
        type: "button",
        class: element.style ?? "",
        text: plainText(element.text),
        onclick: () => act({ value: element.value, state: where.viewId ? collectAnswers() : undefined }),
      });
    case "static_select":
    case "overflow":
    case "radio_buttons": {
      const label = element.type === "overflow" ? "More actions" : plainText(element.placeholder) || "Choose";
      const select = el("select", { "aria-label": label }, [
        el("option", { value: "", text: element.type === "overflow" ? "⋯" : label }),
        optionsOf(element).map((o) => el("option", { value: o.value, text: plainText(o.text) })),
      ]);
      if (element.initial_option) select.value = element.initial_option.value;
      select.addEventListener("change", () => select.value && act({ selectedOption: select.value }));
      return select;
    }
    case "image":
      return el("img", { class: "image", src: element.image_url, alt: element.alt_text ?? "", width: 80 });
    default:
      return el("span", { class: "empty", text: `(${element.type})` });
  }
}

// ---- modals -----------------------------------------------------------------------------------

const MULTI = new Set([
  "multi_static_select",
  "multi_users_select",
  "multi_conversations_select",
  "multi_channels_select",
]);

function choicesFor(element) {
  if (element.type.includes("users")) return state.users.map((u) => ({ value: u.id, text: u.real_name }));
  if (element.type.includes("conversations") || element.type.includes("channels")) {
    return state.channels.map((c) => ({ value: c.id, text: `#${c.name}` }));
  }
  return optionsOf(element).map((o) => ({ value: o.value, text: plainText(o.text) }));
}

function initialValues(e) {
  const pick = [
    e.initial_value,
    e.initial_option?.value,
    e.initial_options?.map((o) => o.value),
    e.initial_user,
    e.initial_users,
    e.initial_conversation,
    e.initial_conversations,
    e.initial_channel,
    e.initial_channels,
    e.initial_date,
    e.initial_time,
  ].find((v) => v !== undefined && v !== null);
  return pick === undefined ? [] : [pick].flat().map(String);
}

/** One input block as a labelled form control (the label is what a person and the browser test read). */
function renderInput(block, viewId, errors) {
  const e = block.element;
  const id = `in-${block.block_id}`;
  const label = plainText(block.label) + (block.optional ? " (optional)" : "");
  const initial = initialValues(e);
  let control;
  if (e.type === "radio_buttons" || e.type === "checkboxes") {
    const kind = e.type === "radio_buttons" ? "radio" : "checkbox";
    control = el("fieldset", { id, "data-kind": kind }, [
      el("legend", { class: "label", text: label }),
      optionsOf(e).map((o) =>
        el("label", {}, [
          el("input", { type: kind, name: id, value: o.value, checked: initial.includes(o.value) }),
          ` ${plainText(o.text)}`,
        ]),
      ),
    ]);
  } else if (e.type.endsWith("select")) {
    const multi = MULTI.has(e.type);
    control = el("select", { id, multiple: multi }, [
      multi ? null : el("option", { value: "", text: plainText(e.placeholder) || "Choose…" }),
      choicesFor(e).map((c) =>
        el("option", { value: c.value, text: c.text, selected: initial.includes(c.value) }),
      ),
    ]);
  } else if (e.type === "plain_text_input" && e.multiline) {
    control = el("textarea", { id, rows: 3, value: initial[0] ?? "" });
  } else {
    const type =
      { datepicker: "date", timepicker: "time", datetimepicker: "datetime-local", number_input: "number" }[
        e.type
      ] ?? "text";
    control = el("input", {
      id,
      type,
      value: initial[0] ?? "",
      step: e.is_decimal_allowed ? "any" : undefined,
    });
    if (e.type === "datetimepicker" && e.initial_date_time) {
      control.value = new Date(e.initial_date_time * 1000).toISOString().slice(0, 16);
    }
    if (e.placeholder) control.placeholder = plainText(e.placeholder);
  }
  if (block.dispatch_action) {
    control.addEventListener("change", () => {
      const answers = collectAnswers();
      const value = answers[block.block_id];
      post("/api/action", {
        user: ui.user,
        viewId,
        actionId: e.action_id,
        blockId: block.block_id,
        value: Array.isArray(value) ? value[0] : value == null ? undefined : String(value),
        state: answers,
      });
    });
  }
  const isGroup = control.tagName === "FIELDSET";
  return el("div", { class: "input", "data-block": block.block_id, "data-type": e.type }, [
    isGroup ? null : el("label", { for: id, text: label }),
    control,
    block.hint ? el("span", { class: "hint", text: plainText(block.hint) }) : null,
    errors?.[block.block_id]
      ? el("span", { class: "error", role: "alert", text: errors[block.block_id] })
      : null,
  ]);
}

/** What Submit sends: per input block_id, the text, option value(s), id(s), date or time as typed. */
function collectAnswers() {
  const answers = {};
  for (const box of document.querySelectorAll("#modal-layer .input[data-block]")) {
    const type = box.dataset.type;
    const control = box.querySelector("select, textarea, input, fieldset");
    let value;
    if (control.tagName === "FIELDSET") {
      const checked = [...control.querySelectorAll("input:checked")].map((i) => i.value);
      value = control.dataset.kind === "radio" ? (checked[0] ?? null) : checked;
    } else if (control.multiple) {
      value = [...control.selectedOptions].map((o) => o.value);
    } else if (type === "datetimepicker") {
      value = control.value ? Math.floor(new Date(`${control.value}Z`).getTime() / 1000) : null;
    } else {
      value = control.value === "" ? null : control.value;
    }
    answers[box.dataset.block] = value;
  }
  return answers;
}

function restoreAnswers(answers) {
  for (const [blockId, value] of Object.entries(answers)) {
    const box = document.querySelector(`#modal-layer .input[data-block="${CSS.escape(blockId)}"]`);
    const control = box?.querySelector("select, textarea, input, fieldset");
    if (!control || value === null) continue;
    const values = [value].flat().map(String);
    if (control.tagName === "FIELDSET" || control.multiple) {
      for (const input of control.querySelectorAll("input, option")) {
        const on = values.includes(input.value);
        if (input.tagName === "OPTION") input.selected = on;
        else input.checked = on;
      }
    } else if (box.dataset.type === "datetimepicker") {
      control.value = new Date(Number(value) * 1000).toISOString().slice(0, 16);
    } else {
      control.value = values[0];
    }
  }
}

function renderModal(modal, errors = {}, clientError = "") {
  const layer = $("modal-layer");
  if (!modal?.view) {
    layer.hidden = true;
    layer.replaceChildren();
    modalKey = "";
    return;
  }
  const view = modal.view;
  const typed = layer.dataset.viewId === view.id ? collectAnswers() : {};
  const where = { viewId: view.id };
  const blocks = view.blocks.map((b) =>
    b.type === "input" ? renderInput(b, view.id, errors) : renderBlock(b, where),
  );
  const submit = view.submit
    ? el("button", {
        type: "button",
        class: "primary",
        text: plainText(view.submit),
        onclick: () => submitModal(view),
      })
    : null;
  const close = el("button", {
    type: "button",
    text: plainText(view.close) || (view.submit ? "Cancel" : "Close"),
    onclick: () => post("/api/close", { viewId: view.id }),
  });
  const box = el("div", { class: "modal", role: "dialog", "aria-label": plainText(view.title) }, [
    el("h2", { text: plainText(view.title) + (modal.depth > 1 ? ` (${modal.depth} deep)` : "") }),
    clientError ? el("p", { class: "client-error", role: "alert", text: clientError }) : null,
    blocks,
    el("div", { class: "footer" }, [close, submit]),
  ]);
  layer.dataset.viewId = view.id;
  layer.replaceChildren(box);
  layer.hidden = false;
  restoreAnswers(typed);
}

async function submitModal(view) {
  const answers = collectAnswers();
  const res = await post("/api/submit", { user: ui.user, viewId: view.id, answers }, { quiet: true });
  if (res?.error) return renderModal({ view, depth: state.modal?.depth ?? 1 }, {}, res.error);
  if (res?.errors) return renderModal({ view, depth: state.modal?.depth ?? 1 }, res.errors);
  modalKey = "";
  await refresh();
}

// ---- the feed ---------------------------------------------------------------------------------

const tsOrder = (a, b) => {
  const [as, ac] = a.ts.split(".").map(Number);
  const [bs, bc] = b.ts.split(".").map(Number);
  return as - bs || ac - bc;
};

function renderMessage(m, channelId, ephemeral) {
  const where = { message: { channelId, ts: m.ts } };
  const when = new Date(Number(m.ts.split(".")[0]) * 1000).toISOString().slice(0, 16).replace("T", " ");
  const files = (m.files ?? []).map((f) =>
    /\.png$/i.test(f.name)
      ? el("img", { class: "file", src: `/files/${f.id}`, alt: f.title })
      : el("a", { href: `/files/${f.id}`, target: "_blank", text: `📎 ${f.title}` }),
  );
  const body = m.blocks?.length ? renderBlocks(m.blocks, where) : [el("div", {}, [mrkdwn(m.text ?? "")])];
  return el("article", { class: `msg${ephemeral ? " ephemeral" : ""}`, "data-ts": m.ts }, [
    el("div", {}, [
      el("span", { class: "who", text: userName(m.user) }),
      el("span", { class: "when", text: `${when} UTC` }),
      ephemeral ? el("span", { class: "only", text: " · Only visible to you" }) : null,
    ]),
    body,
    files,
    m.replies?.length
      ? el(
          "div",
          { class: "thread", "aria-label": "Thread" },
          m.replies.map((r) => renderMessage(r, channelId, false)),
        )
      : null,
  ]);
}

function renderFeed() {
  const feed = $("feed");
  let nodes;
  if (ui.tab === "home") {
    nodes = state.home
      ? renderBlocks(state.home.blocks, { viewId: state.home.id })
      : [el("p", { class: "empty", text: "Ratchet has not published a Home tab for this person yet." })];
  } else if (ui.tab === "dm") {
    const dm = state.dm;
    nodes = dm?.messages.length
      ? dm.messages.map((m) => renderMessage(m, dm.id, false))
      : [el("p", { class: "empty", text: "No direct messages from Ratchet yet." })];
  } else {
    const all = [
      ...state.messages.map((m) => ({ m, eph: false })),
      ...state.ephemerals.map((m) => ({ m, eph: true })),
    ].sort((a, b) => tsOrder(a.m, b.m));
    nodes = all.length
      ? all.map(({ m, eph }) => renderMessage(m, ui.channel, eph))
      : [el("p", { class: "empty", text: "Nothing here yet. Try /ratchet setup, then /ratchet new." })];
  }
  const atBottom = feed.scrollTop + feed.clientHeight >= feed.scrollHeight - 20;
  feed.replaceChildren(...nodes);
  if (atBottom) feed.scrollTop = feed.scrollHeight;
}

// ---- talking to the server --------------------------------------------------------------------

async function post(path, body, o = {}) {
  busy = true;
  $("notice").textContent = "";
  try {
    const res = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok && !o.quiet) $("notice").textContent = json.error ?? `HTTP ${res.status}`;
    return json;
  } finally {
    busy = false;
    await refresh();
  }
}

async function refresh() {
  if (!ui.user || !ui.channel) return;
  const res = await fetch(
    `/api/state?user=${encodeURIComponent(ui.user)}&channel=${encodeURIComponent(ui.channel)}`,
  );
  if (!res.ok) return;
  state = await res.json();
  const user = state.users.find((u) => u.id === ui.user);
  const now = new Date(state.now);
  $("now").textContent = `${now.toLocaleString("en-GB", {
    timeZone: user.tz,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  })} (${user.tz})`;
  const key = JSON.stringify([ui.tab, state.messages, state.ephemerals, state.dm, state.home]);
  if (key !== feedKey) {
    feedKey = key;
    renderFeed();
  }
  const mKey = state.modal ? `${state.modal.view.id}:${state.modal.view.hash}` : "";
  if (mKey !== modalKey) {
    modalKey = mKey;
    renderModal(state.modal);
  }
  document.body.dataset.ready = "true";
}

async function start() {
  const res = await fetch("/api/state?user=U0TESTER&channel=C0TEAM");
  state = await res.json();
  $("user").replaceChildren(...state.users.map((u) => el("option", { value: u.id, text: u.real_name })));
  $("channel").replaceChildren(
    ...state.channels.map((c) => el("option", { value: c.id, text: `#${c.name}` })),
  );
  $("clock-buttons").replaceChildren(
    ...Object.entries(state.steps).map(([step, label]) =>
      el("button", { type: "button", text: label, onclick: () => post("/api/clock", { step }) }),
    ),
  );
  ui.user = $("user").value;
  ui.channel = $("channel").value;
  $("user").addEventListener("change", () => {
    ui.user = $("user").value;
    if (ui.tab === "home") post("/api/home", { user: ui.user });
    else refresh();
  });
  $("channel").addEventListener("change", () => {
    ui.channel = $("channel").value;
    refresh();
  });
  for (const tab of document.querySelectorAll("[data-tab]")) {
    tab.addEventListener("click", () => {
      ui.tab = tab.dataset.tab;
      for (const t of document.querySelectorAll("[data-tab]"))
        t.setAttribute("aria-selected", String(t === tab));
      if (ui.tab === "home") post("/api/home", { user: ui.user });
      else refresh();
    });
  }
  $("composer").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $("command").value.trim();
    if (!text) return;
    $("command").value = "";
    await post("/api/command", {
      user: ui.user,
      channel: ui.tab === "dm" && state.dm ? state.dm.id : ui.channel,
      text,
    });
  });
  await refresh();
  setInterval(() => busy || refresh(), 1000);
}

start();
