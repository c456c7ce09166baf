/*! Peerdesk answers widget (docs/widget.md). The embed code:
 *
 *   <script src="https://community.example/widget.js" data-topic="forum-slug" async></script>
 *
 * data-topic  a forum's slug: its most helpful answers first (none: the whole community)
 * data-lang   "de" or "en" (none: the page's lang attribute, then the browser's languages)
 * data-target a CSS selector of the element to render into (none: right after the script)
 *
 * Renders into a shadow root, so that neither the page's styles nor ours leak. Sends no
 * cookies (credentials: "omit"), stores nothing in the browser, loads nothing but the
 * community's JSON. Plain JavaScript, no build step. */
(() => {
  "use strict";

  const script = document.currentScript;
  if (!script || !script.src || !window.fetch || !Element.prototype.attachShadow) return;

  const BASE = new URL(script.src);
  const API = new URL("/widget/v1/", BASE);
  const OPTIONS = script.dataset;
  const LANG = OPTIONS.lang || document.documentElement.lang || "";
  const TOPIC = OPTIONS.topic || "";
  const DEBOUNCE_MS = 250;
  const MIN_CHARS = 2;

  const CSS = `
:host { all: initial; display: block; font-family: inherit; font-size: 1rem; line-height: 1.5;
  color: #1f2328; }
[hidden] { display: none !important; }
.pd { box-sizing: border-box; max-width: 42rem; padding: 1rem 1.25rem; background: #fff;
  border: 1px solid #d0d7de; border-radius: 8px; }
.pd *, .pd *::before, .pd *::after { box-sizing: inherit; }
h2 { margin: 0 0 .75rem; font-size: 1.25rem; line-height: 1.3; }
h3 { margin: 1rem 0 .5rem; font-size: 1.05rem; line-height: 1.3; }
h3:focus { outline: none; }
label { display: block; font-weight: 600; }
input { width: 100%; margin: .25rem 0; padding: .5rem .75rem; font: inherit; color: inherit;
  background: #fff; border: 1px solid #6e7781; border-radius: 6px; }
.pd-hint, .pd-meta, .pd-excerpt, .pd-foot { color: #57606a; font-size: .875rem; }
.pd-hint { margin: 0; }
.pd-status { min-height: 1.5em; margin: .5rem 0 0; font-size: .875rem; }
ul { margin: 0; padding: 0; list-style: none; }
li + li { border-top: 1px solid #d8dee4; }
button { font: inherit; cursor: pointer; }
.pd-item { display: block; width: 100%; padding: .6rem .25rem; text-align: left; color: inherit;
  background: none; border: 0; border-radius: 4px; }
.pd-item:hover .pd-title { text-decoration: underline; }
.pd-title { display: block; color: #0550ae; font-weight: 600; }
.pd-excerpt { display: block; }
.pd-badge { display: inline-block; margin: .1rem .4rem 0 0; padding: 0 .4rem; font-size: .75rem;
  font-weight: 600; color: #116329; background: #dafbe1; border: 1px solid #4ac26b;
  border-radius: 1rem; }
.pd-badge.official { color: #0550ae; background: #ddf4ff; border-color: #54aeff; }
.pd-back { padding: .25rem 0; color: #0550ae; background: none; border: 0; }
.pd-body { overflow-wrap: anywhere; }
.pd-body pre { overflow-x: auto; padding: .5rem; background: #f6f8fa; border-radius: 6px; }
.pd-body table { border-collapse: collapse; }
.pd-body th, .pd-body td { padding: .25rem .5rem; border: 1px solid #d0d7de; }
a { color: #0550ae; }
.pd-solve { margin-top: 1rem; padding-top: .75rem; border-top: 1px solid #d8dee4; }
.pd-solved-button { padding: .5rem 1rem; color: #fff; background: #0550ae; border: 0;
  border-radius: 6px; }
.pd-solved-button:disabled { cursor: default; background: #57606a; }
.pd-foot { margin: .75rem 0 0; }
.pd-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
:focus-visible { outline: 3px solid #0550ae; outline-offset: 2px; }
@media (forced-colors: active) { .pd-badge { border-color: CanvasText; } }
`;

  /** An element with attributes ("text": its text) and children (nodes or strings). */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    node.append(...children.filter((child) => child !== null && child !== ""));
    return node;
  }

  /** A page of the community, absolute: the widget lives on another site. */
  function community(path) {
    return new URL(path, BASE).href;
  }

  async function call(path, params, init) {
    const url = new URL(path, API);
    for (const [name, value] of Object.entries({ lang: LANG, ...params })) {
      if (value) url.searchParams.set(name, value);
    }
    const response = await fetch(url, { credentials: "omit", mode: "cors", ...init });
    let body = null;
    try {
      body = await response.json();
    } catch (ignored) {
      // not JSON: a proxy's error page
    }
    if (!response.ok) {
      const error = new Error((body && body.detail) || response.statusText);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  // Answers are HTML the community sanitised when they were written (no script, no
  // handlers, no images). A page that enforces Trusted Types must allow this policy name.
  let policy = null;
  function html(text) {
    if (!policy && window.trustedTypes) {
      try {
        policy = window.trustedTypes.createPolicy("peerdesk-widget", { createHTML: (s) => s });
      } catch (ignored) {
        policy = { createHTML: (s) => s };
      }
    }
    return policy ? policy.createHTML(text) : text;
  }

  function styles(root) {
    if ("adoptedStyleSheets" in root && "replaceSync" in CSSStyleSheet.prototype) {
      // A constructed sheet: no <style> element for the page's style-src to refuse.
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.append(el("style", { text: CSS }));
    }
  }

  function widget(root, data) {
    const S = data.strings;
    const input = el("input", {
      id: "pd-q",
      type: "search",
      autocomplete: "off",
      "aria-describedby": "pd-hint",
      "aria-controls": "pd-list",
    });
    const search = el(
      "div",
      { class: "pd-search", role: "search" },
      el("label", { for: "pd-q", text: S.search_label }),
      input,
      el("p", { id: "pd-hint", class: "pd-hint", text: S.search_hint }),
    );
    const status = el("p", { class: "pd-status", role: "status", "aria-atomic": "true" });
    const heading = el("h3", { id: "pd-list-heading" });
    const list = el("ul", { id: "pd-list", "aria-labelledby": "pd-list-heading" });
    const browse = el("div", {}, heading, list);
    const answer = el("article", { hidden: true, "aria-labelledby": "pd-answer-title" });
    const foot = el(
      "p",
      { class: "pd-foot" },
      el(
        "a",
        { href: community(data.community_url), target: "_blank", rel: "noopener" },
        S.ask,
        el("span", { class: "pd-sr", text: ` ${S.new_tab}` }),
      ),
    );
    root.append(
      el(
        "section",
        { class: "pd", lang: data.language, "aria-labelledby": "pd-title" },
        el("h2", { id: "pd-title", text: S.title }),
        search,
        status,
        browse,
        answer,
        foot,
      ),
    );

    let timer = 0;
    let pending = null;
    let asked = 0;
    let opener = null;

    function show(results, title) {
      heading.textContent = title;
      list.replaceChildren(
        ...results.map((item) =>
          el(
            "li",
            {},
            el(
              "button",
              { type: "button", class: "pd-item", "data-id": String(item.id) },
              el("span", { class: "pd-title", text: item.title }),
              item.solved ? el("span", { class: "pd-badge", text: S.solved }) : null,
              item.official ? el("span", { class: "pd-badge official", text: S.official }) : null,
              item.excerpt ? el("span", { class: "pd-excerpt", text: item.excerpt }) : null,
            ),
          ),
        ),
      );
    }

    function showTop() {
      show(data.results, S.top_heading);
      status.textContent = "";
    }

    async function find(query) {
      clearTimeout(timer);
      if (pending) pending.abort();
      pending = new AbortController();
      const mine = ++asked;
      list.setAttribute("aria-busy", "true");
      try {
        const found = await call("search/", { q: query, topic: TOPIC }, { signal: pending.signal });
        if (mine !== asked) return;
        show(found.results, S.results_heading);
        status.textContent = found.message;
      } catch (error) {
        if (error.name !== "AbortError" && mine === asked) status.textContent = S.error;
      } finally {
        if (mine === asked) list.removeAttribute("aria-busy");
      }
    }

    function typed() {
      clearTimeout(timer);
      const query = input.value.trim();
      if (query.length < MIN_CHARS) {
        asked++;
        if (pending) pending.abort();
        list.removeAttribute("aria-busy");
        showTop();
        return;
      }
      timer = setTimeout(() => find(query), DEBOUNCE_MS);
    }

    function items() {
      return Array.from(list.querySelectorAll(".pd-item"));
    }

    input.addEventListener("input", typed);
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" && items().length) {
        event.preventDefault();
        items()[0].focus();
      } else if (event.key === "Enter") {
        event.preventDefault();
        const query = input.value.trim();
        if (query.length >= MIN_CHARS) find(query);
      } else if (event.key === "Escape" && input.value) {
        input.value = "";
        typed();
      }
    });

    list.addEventListener("keydown", (event) => {
      const all = items();
      const at = all.indexOf(root.activeElement);
      if (at < 0) return;
      let next = null;
      if (event.key === "ArrowDown") next = all[Math.min(at + 1, all.length - 1)];
      else if (event.key === "ArrowUp") next = at === 0 ? input : all[at - 1];
      else if (event.key === "Home") next = all[0];
      else if (event.key === "End") next = all[all.length - 1];
      else if (event.key === "Escape") next = input;
      if (next) {
        event.preventDefault();
        next.focus();
      }
    });

    list.addEventListener("click", (event) => {
      const item = event.target.closest(".pd-item");
      if (item) open(item);
    });

    async function open(item) {
      opener = item;
      let shown;
      try {
        shown = await call(`questions/${encodeURIComponent(item.dataset.id)}/`, {});
      } catch (error) {
        status.textContent = error.status === 404 ? error.message : S.error;
        return;
      }
      const kind = shown.answer.official ? S.official : shown.answer.accepted ? S.accepted : S.best;
      const body = el("div", { class: "pd-body" });
      body.innerHTML = html(shown.answer.html);
      for (const link of body.querySelectorAll("a[href]")) {
        link.href = community(link.getAttribute("href"));
        link.target = "_blank";
        link.rel = "noopener nofollow ugc";
      }
      const back = el("button", { type: "button", class: "pd-back", text: `← ${S.back}` });
      const title = el("h3", { id: "pd-answer-title", tabindex: "-1", text: shown.title });
      const solvedButton = el("button", {
        type: "button",
        class: "pd-solved-button",
        text: S.solved_button,
      });
      const said = el("p", { role: "status", "aria-atomic": "true" });
      answer.replaceChildren(
        back,
        title,
        el("p", { class: "pd-meta", text: kind }),
        body,
        el(
          "p",
          {},
          el(
            "a",
            { href: community(shown.answer.url), target: "_blank", rel: "noopener" },
            S.open,
            el("span", { class: "pd-sr", text: ` ${S.new_tab}` }),
          ),
        ),
        el("div", { class: "pd-solve" }, solvedButton, said),
      );
      back.addEventListener("click", close);
      solvedButton.addEventListener("click", async () => {
        solvedButton.disabled = true;
        try {
          const result = await call(
            `questions/${shown.id}/solved/`,
            {},
            {
              method: "POST",
              headers: { "Content-Type": "application/json" },
              body: JSON.stringify({ proof: shown.proof }),
            },
          );
          said.textContent = result.detail;
        } catch (error) {
          said.textContent = error.status && error.status < 500 ? error.message : S.error;
          solvedButton.disabled = error.status === 429;
        }
      });
      search.hidden = true;
      browse.hidden = true;
      status.hidden = true;
      answer.hidden = false;
      title.focus();
    }

    function close() {
      answer.hidden = true;
      answer.replaceChildren();
      search.hidden = false;
      browse.hidden = false;
      status.hidden = false;
      (opener && opener.isConnected ? opener : input).focus();
    }

    answer.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });

    showTop();
  }

  async function mount() {
    const host = document.createElement("div");
    const target = OPTIONS.target ? document.querySelector(OPTIONS.target) : null;
    if (target) target.append(host);
    else if (script.isConnected && script.parentNode !== document.head) script.after(host);
    else document.body.append(host);
    const root = host.attachShadow({ mode: "open" });
    styles(root);
    try {
      widget(root, await call("top/", { topic: TOPIC }));
    } catch (error) {
      host.remove();
      console.warn(`Peerdesk widget: ${error.message}`);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
