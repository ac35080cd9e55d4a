// POSIX shell words: quoting for display and for `sh -c` scripts, and splitting
// the simple scripts people write as server commands (`pip install x && x`).

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One word for a POSIX shell: kept as is when it has no special characters, else single-quoted.
 * Unlike docker-grammar's display quoting, never `$'…'`: these words go into `sh -c` scripts,
 * and POSIX sh (dash) has no ANSI-C quoting.
 */
export function shellQuote(word: string): string {
  if (word !== "" && SAFE_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** A command line for display or `sh -c`, each word quoted. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(" ");
}

/** A shell token: a word, or an operator between commands. */
export type ShellToken = { word: string } | { operator: "&&" | ";" };

/**
 * Splits a simple script into words and `&&`/`;` operators, honouring single
 * quotes, double quotes and backslashes. Returns undefined for anything it does
 * not model (pipes, redirections, substitutions, variables, globs, `||`), so the
 * caller never acts on a misread script.
 */
export function splitSimpleScript(script: string): ShellToken[] | undefined {
  const tokens: ShellToken[] = [];
  let word: string | undefined;
  const flush = (): void => {
    if (word !== undefined) tokens.push({ word });
    word = undefined;
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script.charAt(i);
    if (ch === " " || ch === "\t" || ch === "\n") flush();
    else if (ch === ";") {
      flush();
      tokens.push({ operator: ";" });
    } else if (ch === "&" && script.charAt(i + 1) === "&") {
      flush();
      tokens.push({ operator: "&&" });
      i++;
    } else if (ch === "'") {
      const end = script.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word = (word ?? "") + script.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      let j = i + 1;
      let text = "";
      for (; j < script.length && script.charAt(j) !== '"'; j++) {
        const c = script.charAt(j);
        if (c === "$" || c === "`") return undefined;
        if (c === "\\" && '"\\$`'.includes(script.charAt(j + 1))) j++;
        text += script.charAt(j);
      }
      if (j >= script.length) return undefined;
      word = (word ?? "") + text;
      i = j;
    } else if (ch === "\\") {
      word = (word ?? "") + script.charAt(i + 1);
      i++;
    } else if ("|<>()$`*?[]{}~#&!".includes(ch)) return undefined;
    else word = (word ?? "") + ch;
  }
  flush();
  return tokens;
}
