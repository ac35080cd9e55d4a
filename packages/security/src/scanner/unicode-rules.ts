import type { FindingCode, Severity } from "./finding.ts";

/** A class of invisible or deceptive characters. */
export interface CharacterRule {
  code: FindingCode;
  severity: Severity;
  message: string;
  pattern: RegExp;
}

export const CHARACTER_RULES: readonly CharacterRule[] = [
  {
    code: "unicode-tag-characters",
    severity: "high",
    message: "Unicode tag characters: invisible text a model can read (ASCII smuggling)",
    pattern: /[\u{E0000}-\u{E007F}]+/gu,
  },
  {
    code: "bidi-control",
    severity: "high",
    message: "bidirectional override/isolate: the text displays in a different order than it reads",
    pattern: /[\u202A-\u202E\u2066-\u2069]+/gu,
  },
  {
    code: "zero-width-character",
    severity: "medium",
    message: "zero-width or invisible formatting character",
    pattern: /(?:[\u200B-\u200D\u2060-\u2064\uFEFF\u180E\u00AD\u115F\u1160\u3164]|\u034F)+/gu,
  },
  {
    code: "control-character",
    severity: "high",
    message: "terminal escape or control character (can hide or rewrite displayed text)",
    // Matching control characters is the point of this rule (ANSI escapes start with U+001B).
    // eslint-disable-next-line no-control-regex
    pattern: /[\u0000-\u0008\u000B-\u000C\u000E-\u001F\u007F-\u009F]+/gu,
  },
];

// Latin look-alikes from Cyrillic and Greek (the confusables attackers use in names), mapped
// to the Latin letter they imitate. A subset of Unicode TR39 confusables, kept small on purpose:
// names are identifiers, and these are the letters that render identically in common fonts.
const LOOKALIKES: Readonly<Record<string, string>> = {
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  і: "i",
  ї: "i",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  һ: "h",
  ӏ: "l",
  ɡ: "g",
  А: "A",
  В: "B",
  Е: "E",
  К: "K",
  М: "M",
  Н: "H",
  О: "O",
  Р: "P",
  С: "C",
  Т: "T",
  Х: "X",
  І: "I",
  Ј: "J",
  Ѕ: "S",
  α: "a",
  ο: "o",
  ρ: "p",
  ν: "v",
  υ: "u",
  ι: "i",
  κ: "k",
  τ: "t",
  χ: "x",
  Α: "A",
  Β: "B",
  Ε: "E",
  Ζ: "Z",
  Η: "H",
  Ι: "I",
  Κ: "K",
  Μ: "M",
  Ν: "N",
  Ο: "O",
  Ρ: "P",
  Τ: "T",
  Υ: "Y",
  Χ: "X",
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2013": "-",
  "\uFF3F": "_",
};

// Characters that render as nothing (or reorder text): dropped when reading text "as displayed".
const INVISIBLE =
  /^(?:[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD\u180E\u202A-\u202E\u2066-\u2069\u{E0000}-\u{E007F}]|\u034F)$/u;

const PLAIN_ASCII = /^[\t\n\r\x20-\x7E]*$/;

/** The text as read, for matching: invisible characters dropped, compatibility forms (NFKC) and
 *  Latin look-alikes folded; with `decodeTags`, Unicode tag characters become the ASCII they
 *  smuggle (what a model reads). `starts[i]`/`ends[i]` give the original offsets of character i,
 *  so findings point into the text the server actually sent. */
export function displayedText(
  text: string,
  options: { decodeTags?: boolean } = {},
): { text: string; starts: readonly number[] | null; ends: readonly number[] | null } {
  // Most text is plain printable ASCII: nothing to fold, offsets are the identity (null).
  if (PLAIN_ASCII.test(text)) return { text, starts: null, ends: null };
  let folded = "";
  const starts: number[] = [];
  const ends: number[] = [];
  let offset = 0;
  for (const char of text) {
    const start = offset;
    offset += char.length;
    const code = char.codePointAt(0) ?? 0;
    const tag = options.decodeTags === true && code >= 0xe0020 && code <= 0xe007e;
    if (!tag && INVISIBLE.test(char)) continue;
    const replacement = tag
      ? String.fromCodePoint(code - 0xe0000)
      : (LOOKALIKES[char] ?? char.normalize("NFKC"));
    for (let index = 0; index < replacement.length; index += 1) {
      starts.push(start);
      ends.push(offset);
    }
    folded += replacement;
  }
  return { text: folded, starts, ends };
}

/** The Latin skeleton of a name: look-alikes folded, compatibility forms (full-width) normalised,
 *  invisible characters dropped, case folded. Two names with one skeleton look the same. */
export function nameSkeleton(name: string): string {
  return displayedText(name).text.toLowerCase();
}

/** Non-ASCII letters in a name that imitate Latin ones, with their offsets. */
export function lookalikeLetters(name: string): { start: number; end: number }[] {
  const hits: { start: number; end: number }[] = [];
  for (const match of name.matchAll(/[^\p{ASCII}]/gu)) {
    if (LOOKALIKES[match[0]] !== undefined)
      hits.push({ start: match.index, end: match.index + match[0].length });
  }
  return hits;
}
