// Text → index terms, the same for tool text and queries: words split at
// punctuation, snake_case, kebab-case and camelCase; stop words dropped; the
// domain synonym table applied; each word stemmed (Porter, `stemmer` package).
import { stemmer } from "stemmer";
import { SYNONYMS } from "./synonyms.ts";

// Words that say nothing about which tool is meant ("show me the …", "how do I …").
const STOP_WORDS = new Set(
  (
    "a an the and or of to in on at by for from with into onto about as is are was were be been it its this " +
    "that these those there here i me my we our us you your he she they them their what which whom how " +
    "when where why can could should would will shall do does did done please just some any all each every " +
    "via using use want need like so if then than also yet too very not no everything something"
  ).split(" "),
);

const HAS_UPPER = /[A-Z]/;

/** camelCase parts of one token: `getHTTPResponse` → get, HTTP, Response; `PRs` stays whole. */
function camelParts(token: string): string[] {
  if (!HAS_UPPER.test(token)) return [token]; // most words: nothing to split
  if (/^[A-Z]{2,}s$/.test(token)) return [token]; // a plural acronym: PRs, URLs, APIs
  return token
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(" ");
}

/**
 * Splits text into lower-case words at anything but letters and digits; a
 * camelCase token gives itself and its parts (`GitHub` → github, git, hub), so
 * it matches both written as one word and as its parts.
 */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const token of text.split(/[^\p{L}\p{N}]+/u)) {
    if (token === "") continue;
    const parts = camelParts(token);
    out.push(token.toLowerCase());
    if (parts.length > 1) for (const p of parts) out.push(p.toLowerCase());
  }
  return out;
}

// Stems are pure functions of the word and the vocabulary of tools is small:
// memoised, indexing and queries stem each distinct word once.
const termsCache = new Map<string, string[]>();
const TERMS_CACHE_MAX = 50_000;

/** One word → its index terms: none for a stop word, else the stems of the word or of its synonym's words. */
export function termsOfWord(word: string): string[] {
  const lower = word.toLowerCase();
  const cached = termsCache.get(lower);
  if (cached) return cached;
  let terms: string[] = [];
  if (!STOP_WORDS.has(lower)) {
    // Plurals share their singular's entry: "folders" → "directory".
    const replaced = SYNONYMS[lower] ?? (lower.endsWith("s") ? SYNONYMS[lower.slice(0, -1)] : undefined);
    terms = (replaced === undefined ? [lower] : replaced.split(" ")).map((w) => stemmer(w));
  }
  if (termsCache.size >= TERMS_CACHE_MAX) termsCache.clear();
  termsCache.set(lower, terms);
  return terms;
}

/** Text → index terms, in order (repeats kept: term frequency counts). */
export function analyze(text: string): string[] {
  return words(text).flatMap(termsOfWord);
}
