// Types for Baken's web components (baken.js) and the public objects they show. The objects'
// shapes are generated from the API's OpenAPI document into baken-api.d.ts (`make types`; a test
// checks it is current); this file names them and declares the elements.
import type { components } from "./baken-api";

type Schemas = components["schemas"];
export type FAQDetail = Schemas["FAQDetail"];
export type FAQSummary = Schemas["FAQSummary"];
export type Section = Schemas["Section"];
export type Question = Schemas["Question"];
export type HelpLine = Schemas["HelpLine"];
export type ContactPoint = Schemas["ContactPoint"];
export type Availability = Schemas["Availability"];
export type Citation = Schemas["Citation"];
export type Campaign = Schemas["Campaign"];
export type SearchResult = Schemas["SearchResult"];
export type Problem = Schemas["Problem"];
export type Preview = Schemas["Preview"];

/** Attributes every component takes. */
interface BakenAttributes {
  /** The API's base URL, e.g. https://content.example.org */
  api: string;
  /** A channel key (optional; it unlocks nothing, it names the channel). */
  key?: string;
  /** nl, fr, en or de; default: the page's <html lang>. */
  locale?: string;
  /** An editor's preview token: the draft instead of the published object. */
  "preview-token"?: string;
  /** The level of the component's top headings. */
  "heading-level"?: string;
}

export interface BakenFaqElement extends HTMLElement {}
export interface BakenHelplinesElement extends HTMLElement {}
export interface BakenSearchElement extends HTMLElement {}
export interface BakenQuickExitElement extends HTMLElement {
  /** Replace the page with the neutral `href` and take it out of the history. */
  leave(): void;
}

/** One FAQ page (`slug`) or every FAQ page of a campaign (`campaign`). */
export type BakenFaqAttributes = BakenAttributes & ({ slug: string } | { campaign: string });
export type BakenHelplinesAttributes = BakenAttributes & { campaign: string; "fallback-number"?: string };
export type BakenSearchAttributes = BakenAttributes & { "faq-url"?: string };
export type BakenQuickExitAttributes = { href?: string; locale?: string };

declare global {
  interface HTMLElementTagNameMap {
    "baken-faq": BakenFaqElement;
    "baken-helplines": BakenHelplinesElement;
    "baken-quick-exit": BakenQuickExitElement;
    "baken-search": BakenSearchElement;
  }
  interface HTMLElementEventMap {
    /** A component finished rendering (bubbles). */
    "baken:rendered": CustomEvent<void>;
  }
}
