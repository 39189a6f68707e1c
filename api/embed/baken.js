// Baken web components, v1: <baken-faq>, <baken-helplines>, <baken-search>, <baken-quick-exit>.
//
// One ES module, no framework, no build step: <script type="module" src=".../embed/v1/baken.js">.
// Everything renders in shadow DOM with constructed style sheets, so it works under a strict
// Content-Security-Policy (no inline scripts or styles, no eval). Private: no cookies; the only
// thing kept in the browser is the last good help-line data (public content, for when the API
// cannot be reached); no request goes anywhere but the Baken API named in `api`.
//
// <baken-faq slug="…"> shows one FAQ page; <baken-faq campaign="…"> every FAQ page of a campaign.
// heading-level: the level of the component's top headings (FAQ title: 2, help-line names: 3).
// <baken-search faq-url="…#{anchor}">: a search form; results link to faq-url with {slug} and
// {anchor} filled in (default "#{anchor}", for a page that also has the <baken-faq>).
// Common attributes: api (the API's base URL, e.g. https://content.example.org), key (a channel
// key, optional), locale (nl, fr, en, de; default: the page's <html lang>), preview-token (an
// editor's preview: the draft from /api/v1/preview/ instead of the published object).

const UI = {
  nl: { search: "Zoek in de vragen", searchButton: "Zoeken", found: "{n} antwoord(en) gevonden", none: "Geen antwoorden gevonden.",
        free: "Gratis", anonymous: "Anoniem", open: "Nu open", closed: "Nu gesloten", opens: "Opent {t}",
        always: "Dag en nacht bereikbaar", call: "Bel {v}", sms: "Sms {v}", mail: "Mail {v}", web: "Meld online",
        languages: "Talen", sources: "Bronnen", fallback: "Nog niet vertaald: dit is de {l} versie.",
        unavailable: "De informatie kan nu niet geladen worden.", exit: "Snel weg", exitHint: "of druk op Esc",
        choose: "Taal", helplines: "Hulplijnen" },
  fr: { search: "Chercher dans les questions", searchButton: "Chercher", found: "{n} réponse(s) trouvée(s)", none: "Aucune réponse trouvée.",
        free: "Gratuit", anonymous: "Anonyme", open: "Ouvert maintenant", closed: "Fermé maintenant",
        opens: "Ouvre {t}", always: "Joignable jour et nuit", call: "Appeler le {v}", sms: "SMS au {v}",
        mail: "Écrire à {v}", web: "Signaler en ligne", languages: "Langues", sources: "Sources",
        fallback: "Pas encore traduit : voici la version {l}.", unavailable: "Les informations ne peuvent pas être chargées.",
        exit: "Quitter vite", exitHint: "ou appuyez sur Échap", choose: "Langue", helplines: "Lignes d’aide" },
  en: { search: "Search the questions", searchButton: "Search", found: "{n} answer(s) found", none: "No answers found.",
        free: "Free", anonymous: "Anonymous", open: "Open now", closed: "Closed now", opens: "Opens {t}",
        always: "Available day and night", call: "Call {v}", sms: "Text {v}", mail: "Email {v}", web: "Report online",
        languages: "Languages", sources: "Sources", fallback: "Not translated yet: this is the {l} version.",
        unavailable: "The information cannot be loaded right now.", exit: "Quick exit", exitHint: "or press Esc",
        choose: "Language", helplines: "Help-lines" },
  de: { search: "In den Fragen suchen", searchButton: "Suchen", found: "{n} Antwort(en) gefunden", none: "Keine Antworten gefunden.",
        free: "Kostenlos", anonymous: "Anonym", open: "Jetzt geöffnet", closed: "Jetzt geschlossen", opens: "Öffnet {t}",
        always: "Tag und Nacht erreichbar", call: "{v} anrufen", sms: "SMS an {v}", mail: "E-Mail an {v}",
        web: "Online melden", languages: "Sprachen", sources: "Quellen",
        fallback: "Noch nicht übersetzt: dies ist die Fassung auf {l}.", unavailable: "Die Informationen können gerade nicht geladen werden.",
        exit: "Schnell weg", exitHint: "oder Esc drücken", choose: "Sprache", helplines: "Hilfetelefone" },
};
const LANGUAGE_NAMES = { nl: "Nederlands", fr: "Français", en: "English", de: "Deutsch" };

const STYLES = `
:host { display: block; font: inherit; color: var(--baken-text, #1d1d1f); }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.notice { border-left: 4px solid var(--baken-accent, #005ea5); padding: .5rem .75rem; background: var(--baken-notice, #eef4fa); }
details { border-bottom: 1px solid var(--baken-border, #c8c8cc); }
summary { cursor: pointer; padding: .75rem .25rem; font-weight: 600; list-style-position: outside; }
summary:focus-visible, a:focus-visible, button:focus-visible { outline: 3px solid var(--baken-focus, #ffbf47); outline-offset: 2px; }
.answer { padding: 0 .25rem 1rem; }
.card { border: 1px solid var(--baken-border, #c8c8cc); border-radius: var(--baken-radius, .5rem); padding: 1rem; margin: 0 0 1rem; background: var(--baken-surface, #fff); }
.card h3 { margin: 0 0 .25rem; }
.badges { display: flex; gap: .5rem; flex-wrap: wrap; margin: .5rem 0; padding: 0; list-style: none; }
.badge { border-radius: 1rem; padding: .1rem .6rem; background: var(--baken-badge, #e6f0e6); font-size: .9em; }
.actions { display: flex; flex-direction: column; gap: .5rem; margin: .75rem 0 0; }
.action { display: block; text-align: center; padding: .8rem 1rem; border-radius: var(--baken-radius, .5rem);
  background: var(--baken-accent, #005ea5); color: var(--baken-on-accent, #fff); font-weight: 700; text-decoration: none; font-size: 1.1em; }
.status { font-weight: 600; }
.languages, .sources { font-size: .95em; }
.switch { display: flex; gap: .5rem; flex-wrap: wrap; margin: 0 0 1rem; }
.switch button { font: inherit; padding: .3rem .7rem; border: 1px solid var(--baken-accent, #005ea5); border-radius: .3rem;
  background: var(--baken-surface, #fff); color: var(--baken-accent, #005ea5); cursor: pointer; }
.switch button[aria-pressed="true"] { background: var(--baken-accent, #005ea5); color: var(--baken-on-accent, #fff); }
.exit { position: fixed; inset: auto 1rem 1rem auto; z-index: 2147483647; font: inherit; font-weight: 700; font-size: 1.1em;
  padding: .8rem 1.2rem; border: 0; border-radius: var(--baken-radius, .5rem); background: var(--baken-exit, #b00020); color: #fff; cursor: pointer; }
form[role="search"] { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 0 0 .5rem; }
form[role="search"] input { font: inherit; padding: .5rem; min-width: 12rem; flex: 1; border: 1px solid var(--baken-border, #767676); border-radius: .3rem; }
form[role="search"] button { font: inherit; padding: .5rem 1rem; border: 0; border-radius: .3rem; background: var(--baken-accent, #005ea5); color: var(--baken-on-accent, #fff); cursor: pointer; }
.results { padding-left: 1.25rem; }
.exit small { display: block; font-weight: 400; font-size: .75em; }
@media (prefers-reduced-motion: no-preference) { details[open] .answer { animation: reveal .15s ease-out; } }
@keyframes reveal { from { opacity: 0; } to { opacity: 1; } }
`;

let sheet = null;
function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
  }
  return [sheet];
}

function say(locale, name, values = {}) {
  const text = (UI[locale] || UI.en)[name];
  return text.replace(/\{(\w)\}/g, (_, k) => values[k] ?? "");
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value == null) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) if (child != null) node.append(child);
  return node;
}

function pageLocale(element) {
  const lang = element.getAttribute("locale") || document.documentElement.lang || "nl";
  return lang.slice(0, 2).toLowerCase();
}

// The last good answer per URL, with its ETag: in memory, and for help-lines also in
// localStorage (public content only), so a help-line still shows when the API is unreachable.
const memory = new Map();

// The draft a preview token opens, when the element has one and it is of one of these kinds.
async function previewData(element, kinds) {
  const token = element.getAttribute("preview-token");
  if (!token) return undefined;
  const preview = await fetchJSON(element, `/api/v1/preview/?token=${encodeURIComponent(token)}`);
  return kinds.includes(preview.kind) ? preview.data : null;
}

async function fetchJSON(element, path, { keep = false } = {}) {
  const api = (element.getAttribute("api") || "").replace(/\/$/, "");
  const url = `${api}${path}`;
  const storageKey = `baken:v1:${url}`;
  let last = memory.get(url);
  if (!last && keep) {
    try { last = JSON.parse(localStorage.getItem(storageKey) || "null"); } catch { last = null; }
  }
  const headers = { Accept: "application/json" };
  const key = element.getAttribute("key");
  if (key) headers.Authorization = `Bearer ${key}`;
  if (last && last.etag) headers["If-None-Match"] = last.etag;
  try {
    const response = await fetch(url, { headers, credentials: "omit", cache: "no-cache" });
    if (response.status === 304 && last) return last.body;
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const body = await response.json();
    const fresh = { etag: response.headers.get("ETag"), body };
    memory.set(url, fresh);
    if (keep) {
      try { localStorage.setItem(storageKey, JSON.stringify(fresh)); } catch { /* storage full or off */ }
    }
    return body;
  } catch (error) {
    if (last) return last.body;
    throw error;
  }
}

function setJSONLD(element, data) {
  // Structured data for search engines, beside the element in the page (not in shadow DOM).
  if (!data) return;
  let script = element.querySelector(":scope > script[type='application/ld+json']");
  if (!script) {
    script = document.createElement("script");
    script.type = "application/ld+json";
    element.append(script);
  }
  script.textContent = JSON.stringify(data);
}

function fallbackNotice(object, locale) {
  if (!object.is_fallback) return null;
  return el("p", { class: "notice", lang: locale, "data-fallback": object.locale,
    text: say(locale, "fallback", { l: LANGUAGE_NAMES[object.locale] || object.locale }) });
}

function languageSwitch(element, object, locale, onChoose) {
  const translations = object.translations || [];
  if (translations.length < 2) return null;
  const nav = el("nav", { class: "switch", "aria-label": say(locale, "choose") });
  for (const translation of translations) {
    const button = el("button", { type: "button", lang: translation.locale,
      "aria-pressed": String(translation.locale === object.locale && !object.is_fallback),
      text: LANGUAGE_NAMES[translation.locale] || translation.locale });
    button.addEventListener("click", () => onChoose(translation));
    nav.append(button);
  }
  return nav;
}

// --- help-lines --------------------------------------------------------------------------------

const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

// The wall-clock date and time of `date` in `zone`.
function wallClock(zone, date) {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", weekday: "long",
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).formatToParts(date);
  const get = (type) => parts.find((part) => part.type === type).value;
  return { year: Number(get("year")), month: Number(get("month")), day: Number(get("day")),
    hour: Number(get("hour")), minute: Number(get("minute")), weekday: get("weekday").toLowerCase() };
}

// The instant at which it is `hh:mm` on the given date in `zone` (DST included).
function instantIn(zone, year, month, day, hh, mm) {
  const asUTC = Date.UTC(year, month - 1, day, hh, mm);
  let guess = asUTC;
  for (let i = 0; i < 2; i += 1) {
    const wall = wallClock(zone, new Date(guess));
    const offset = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute) - Math.floor(guess / 60000) * 60000;
    guess = asUTC - offset;
  }
  return new Date(guess);
}

// The next moment the line opens (only asked when it is closed now), or null.
function nextOpening(availability, now = new Date()) {
  const zone = availability.time_zone || "Europe/Brussels";
  const hours = availability.opening_hours || [];
  for (let ahead = 0; ahead < 8; ahead += 1) {
    const wall = wallClock(zone, new Date(now.getTime() + ahead * 86400000));
    const opens = hours.filter((h) => h.day === wall.weekday).map((h) => h.opens).sort();
    for (const time of opens) {
      const [hh, mm] = time.split(":").map(Number);
      const instant = instantIn(zone, wall.year, wall.month, wall.day, hh, mm);
      if (instant > now) return instant;
    }
  }
  return null;
}

function actionFor(point, locale) {
  const label = point.label || point.value;
  const kinds = { phone: "call", sms: "sms", email: "mail", web: "web", web_form: "web" };
  const name = kinds[point.type] || "web";
  const text = name === "web" ? (point.label || say(locale, "web")) : say(locale, name, { v: point.value });
  return el("a", { class: "action", href: point.href, "data-contact-type": point.type, "aria-label": label !== text ? `${text} – ${label}` : null, text });
}

function heading(level, text) {
  return el(`h${Math.min(6, Math.max(1, level))}`, { text });
}

function levelOf(element, fallback) {
  const level = Number.parseInt(element.getAttribute("heading-level") || "", 10);
  return Number.isInteger(level) ? level : fallback;
}

function helplineCard(line, locale, level = 3) {
  const always = line.availability?.always_open;
  // When it opens next, shown in the visitor's own time zone and language.
  const next = always || line.open_now ? null : nextOpening(line.availability || {});
  const when = next && new Intl.DateTimeFormat(locale, { weekday: "long", hour: "2-digit", minute: "2-digit" }).format(next);
  const status = always ? say(locale, "always")
    : line.open_now ? say(locale, "open")
      : when ? `${say(locale, "closed")} · ${say(locale, "opens", { t: when })}` : say(locale, "closed");
  // The object carries the language it was served in; the component's own words carry theirs.
  return el("article", { class: "card", lang: line.locale, "data-slug": line.slug, "data-locale": line.locale },
    heading(level, line.name),
    fallbackNotice(line, locale),
    el("ul", { class: "badges", lang: locale },
      line.is_free ? el("li", { class: "badge", text: say(locale, "free") }) : null,
      line.anonymous_possible ? el("li", { class: "badge", text: say(locale, "anonymous") }) : null),
    el("p", { class: "status", lang: locale, "data-opens-at": next ? next.toISOString() : null, text: status }),
    line.description ? el("p", { text: line.description }) : null,
    el("div", { class: "actions", lang: locale }, (line.contact_points || []).filter((p) => p.href).map((p) => actionFor(p, locale))),
    line.languages?.length ? el("p", { class: "languages", lang: locale, text: `${say(locale, "languages")}: ${line.languages.map((l) => LANGUAGE_NAMES[l] || l).join(", ")}` }) : null);
}

class BakenHelplines extends HTMLElement {
  static observedAttributes = ["campaign", "locale", "api", "preview-token"];

  connectedCallback() {
    if (!this.shadowRoot) {
      this.attachShadow({ mode: "open" }).adoptedStyleSheets = styles();
    }
    this.render();
  }

  attributeChangedCallback() { if (this.shadowRoot) this.render(); }

  async render() {
    const locale = pageLocale(this);
    const campaign = this.getAttribute("campaign");
    const root = this.shadowRoot;
    const section = el("section", { "aria-label": this.getAttribute("label") || say(locale, "helplines"), lang: locale });
    const ticket = (this.ticket = (this.ticket || 0) + 1); // only the latest render may show
    try {
      const draft = await previewData(this, ["helpline", "campaignpage"]);
      const body = draft === undefined
        ? await fetchJSON(this, `/api/v1/campaigns/${encodeURIComponent(campaign)}/?locale=${locale}`, { keep: true })
        : { helplines: draft === null ? [] : (draft.helplines || [draft]) };
      if (ticket !== this.ticket) return;
      section.append(...(body.helplines || []).map((line) => helplineCard(line, locale, levelOf(this, 3))));
      setJSONLD(this, (body.helplines || []).map((line) => line.structured_data).filter(Boolean));
    } catch {
      if (ticket !== this.ticket) return;
      const number = this.getAttribute("fallback-number");
      section.append(el("p", { class: "notice", role: "status", text: say(locale, "unavailable") }));
      if (number) {
        section.append(el("article", { class: "card", "data-fallback-number": number },
          el("div", { class: "actions" }, el("a", { class: "action", href: `tel:${number.replace(/[^+\d]/g, "")}`, text: say(locale, "call", { v: number }) }))));
      }
    }
    root.replaceChildren(section);
    this.dispatchEvent(new CustomEvent("baken:rendered", { bubbles: true }));
  }
}

// --- FAQ ------------------------------------------------------------------------------------

function citationItem(citation) {
  const title = citation.url ? el("a", { href: citation.url, rel: "noopener noreferrer", text: citation.title }) : citation.title;
  return el("li", { lang: citation.locale }, title, citation.organisation ? ` — ${citation.organisation}` : "");
}

function questionItem(question, locale, level) {
  const answer = el("div", { class: "answer" });
  answer.innerHTML = question.answer?.html || ""; // sanitised by Baken (nh3) to the answer's feature set
  const details = el("details", { id: question.anchor },
    el("summary", { text: question.question }),
    answer);
  if (question.helplines?.length) answer.append(...question.helplines.map((line) => helplineCard(line, locale, level)));
  if (question.citations?.length) {
    answer.append(el("p", { class: "sources", text: `${say(locale, "sources")}:` }), el("ul", { class: "sources" }, question.citations.map(citationItem)));
  }
  return details;
}

class BakenFaq extends HTMLElement {
  static observedAttributes = ["slug", "campaign", "locale", "api", "preview-token"];

  connectedCallback() {
    if (!this.shadowRoot) {
      this.attachShadow({ mode: "open" }).adoptedStyleSheets = styles();
      this.onHash = () => this.openFromHash();
      window.addEventListener("hashchange", this.onHash);
    }
    this.render();
  }

  disconnectedCallback() { window.removeEventListener("hashchange", this.onHash); }

  attributeChangedCallback() { if (this.shadowRoot) this.render(); }

  // The FAQ pages to show: the draft being previewed, the page named by `slug`, or (without a
  // slug) every FAQ page of the `campaign`.
  async pages(locale) {
    const draft = await previewData(this, ["faqpage"]);
    if (draft !== undefined) return draft === null ? [] : [draft];
    const slug = this.getAttribute("slug");
    if (slug) return [await fetchJSON(this, `/api/v1/faqs/${encodeURIComponent(slug)}/?locale=${locale}`)];
    const campaign = await fetchJSON(this, `/api/v1/campaigns/${encodeURIComponent(this.getAttribute("campaign"))}/?locale=${locale}`);
    return Promise.all((campaign.faqs || []).map((faq) =>
      fetchJSON(this, `/api/v1/faqs/${encodeURIComponent(faq.slug)}/?locale=${faq.locale}`)));
  }

  async render() {
    const locale = pageLocale(this);
    const root = this.shadowRoot;
    const ticket = (this.ticket = (this.ticket || 0) + 1); // only the latest render may show
    let pages;
    try {
      pages = await this.pages(locale);
    } catch {
      if (ticket !== this.ticket) return;
      root.replaceChildren(el("p", { class: "notice", role: "status", lang: locale, text: say(locale, "unavailable") }));
      return;
    }
    if (ticket !== this.ticket) return;
    const single = pages.length === 1 && this.hasAttribute("slug");
    root.replaceChildren(...pages.map((body) => this.article(body, locale, single)));
    setJSONLD(this, pages.length === 1 ? pages[0].structured_data : pages.map((body) => body.structured_data));
    this.openFromHash();
    this.dispatchEvent(new CustomEvent("baken:rendered", { bubbles: true }));
  }

  article(body, locale, withSwitch) {
    const level = levelOf(this, 2);
    return el("article", { class: "faq", lang: body.locale, "data-locale": body.locale, "data-slug": body.slug, "data-fallback": body.is_fallback ? "true" : null },
      withSwitch ? languageSwitch(this, body, locale, (translation) => {
        this.setAttribute("slug", translation.slug);
        this.setAttribute("locale", translation.locale);
      }) : null,
      heading(level, body.title),
      fallbackNotice(body, locale),
      body.sections.map((section) => el("section", {},
        section.heading ? heading(level + 1, section.heading) : null,
        section.questions.map((question) => questionItem(question, locale, level + 2)))));
  }

  openFromHash() {
    const anchor = decodeURIComponent(location.hash.slice(1));
    if (!anchor || !this.shadowRoot) return;
    const details = this.shadowRoot.getElementById(anchor);
    if (!details) return;
    details.open = true;
    const summary = details.querySelector("summary");
    summary.focus();
    summary.scrollIntoView({ block: "start", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
  }
}

// --- search ---------------------------------------------------------------------------------

class BakenSearch extends HTMLElement {
  static observedAttributes = ["locale"];

  connectedCallback() {
    if (!this.shadowRoot) this.attachShadow({ mode: "open" }).adoptedStyleSheets = styles();
    this.render();
  }

  attributeChangedCallback() { if (this.shadowRoot) this.render(); }

  render() {
    const locale = pageLocale(this);
    const input = el("input", { type: "search", id: "q", name: "q", required: true, minlength: "2", autocomplete: "off" });
    const status = el("p", { class: "status", role: "status", "aria-live": "polite" });
    const results = el("ol", { class: "results" });
    const form = el("form", { role: "search", lang: locale },
      el("label", { for: "q", text: say(locale, "search") }), " ", input, " ",
      el("button", { type: "submit", text: say(locale, "searchButton") }));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.search(input.value.trim(), locale, status, results);
    });
    this.shadowRoot.replaceChildren(form, status, results);
  }

  async search(query, locale, status, results) {
    if (query.length < 2) return;
    const ticket = (this.ticket = (this.ticket || 0) + 1);
    let body;
    try {
      body = await fetchJSON(this, `/api/v1/search/?q=${encodeURIComponent(query)}&locale=${locale}`);
    } catch {
      if (ticket === this.ticket) status.textContent = say(locale, "unavailable");
      return;
    }
    if (ticket !== this.ticket) return;
    const template = this.getAttribute("faq-url") || "#{anchor}";
    results.replaceChildren(...body.results.map((result) => el("li", { lang: result.faq.locale },
      el("a", { href: template.replace("{slug}", encodeURIComponent(result.faq.slug)).replace("{anchor}", encodeURIComponent(result.anchor)),
        text: result.question }),
      result.excerpt ? excerpt(result) : null)));
    status.textContent = body.results.length ? say(locale, "found", { n: body.count }) : say(locale, "none");
  }
}

// The excerpt with its matched words marked. The API escapes excerpt_html and puts no markup in it
// but <mark>; it is still rebuilt here from text and <mark> elements only, never inserted as HTML.
function excerpt(result) {
  const paragraph = el("p");
  if (!result.excerpt_html) return paragraph.append(result.excerpt), paragraph;
  const parsed = new DOMParser().parseFromString(`<p>${result.excerpt_html}</p>`, "text/html");
  for (const node of parsed.body.firstChild.childNodes) {
    paragraph.append(node.nodeName === "MARK" ? el("mark", { text: node.textContent }) : node.textContent);
  }
  return paragraph;
}

// --- quick exit -----------------------------------------------------------------------------

class BakenQuickExit extends HTMLElement {
  static observedAttributes = ["locale"];

  connectedCallback() {
    if (!this.shadowRoot) this.attachShadow({ mode: "open" }).adoptedStyleSheets = styles();
    this.onKey = (event) => { if (event.key === "Escape") this.leave(); };
    document.addEventListener("keydown", this.onKey);
    this.render();
  }

  attributeChangedCallback() { if (this.shadowRoot) this.render(); }

  render() {
    const locale = pageLocale(this);
    const button = el("button", { type: "button", class: "exit", lang: locale }, say(locale, "exit"), el("small", { text: say(locale, "exitHint") }));
    button.addEventListener("click", () => this.leave());
    this.shadowRoot.replaceChildren(button);
  }

  disconnectedCallback() { document.removeEventListener("keydown", this.onKey); }

  leave() {
    // replace(): the page is taken out of the history, so Back does not return to it.
    document.body.replaceChildren();
    location.replace(this.getAttribute("href") || "https://www.google.com/search?q=weer");
  }
}

customElements.define("baken-helplines", BakenHelplines);
customElements.define("baken-faq", BakenFaq);
customElements.define("baken-quick-exit", BakenQuickExit);
customElements.define("baken-search", BakenSearch);
