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

/** Splits text into lower-case words: `getPullRequest_v2` → get, pull, request, v, 2. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([a-zA-Z])(\d)/g, "$1 $2")
    .replace(/(\d)([a-zA-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** One word → its index terms: none for a stop word, else the stems of the word or of its synonym's words. */
export function termsOfWord(word: string): string[] {
  const lower = word.toLowerCase();
  if (STOP_WORDS.has(lower)) return [];
  const replaced = SYNONYMS[lower];
  return (replaced === undefined ? [lower] : replaced.split(" ")).map((w) => stemmer(w));
}

/** Text → index terms, in order (repeats kept: term frequency counts). */
export function analyze(text: string): string[] {
  return words(text).flatMap(termsOfWord);
}
