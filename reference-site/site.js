// The reference campaign page's own script: the language from ?lang=, passed to the components.
const TEXTS = {
  nl: { help: "Hulp nodig?", footer: "Een campagne van Child Focus, met inhoud uit Baken." },
  fr: { help: "Besoin d’aide ?", footer: "Une campagne de Child Focus, avec le contenu de Baken." },
  en: { help: "Need help?", footer: "A Child Focus campaign, with content from Baken." },
  de: { help: "Brauchen Sie Hilfe?", footer: "Eine Kampagne von Child Focus, mit Inhalten aus Baken." },
};
const SLUGS = { nl: "veelgestelde-vragen", fr: "questions-frequentes", en: "frequently-asked-questions", de: "veelgestelde-vragen" };
const requested = new URLSearchParams(location.search).get("lang");
const lang = TEXTS[requested] ? requested : "nl";
document.documentElement.lang = lang;
for (const node of document.querySelectorAll("[data-text]")) node.textContent = TEXTS[lang][node.dataset.text];
for (const link of document.querySelectorAll("#languages a")) {
  if (link.hreflang === lang) link.setAttribute("aria-current", "true");
}
for (const component of document.querySelectorAll("baken-helplines, baken-faq, baken-quick-exit, baken-search")) {
  component.setAttribute("locale", lang);
}
document.querySelector("baken-faq")?.setAttribute("slug", SLUGS[lang]);

// Opened by Baken's admin preview ("Campaign site"): show the editor's draft.
const token = new URLSearchParams(location.search).get("token");
if (token) {
  for (const component of document.querySelectorAll("baken-helplines, baken-faq")) {
    component.setAttribute("preview-token", token);
  }
}
