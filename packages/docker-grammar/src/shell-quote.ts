// Quoting of one argument for display as a shell line (a `docker run` to paste,
// a `chmod` to run): one home for it, used by docker-args and diagnostics.

const SAFE_TOKEN = /^[A-Za-z0-9_@%+=:,./-]+$/;
const CONTROL = /\p{Cc}/u;

function ansiCQuote(token: string): string {
  let body = "";
  for (const char of token) {
    const code = char.codePointAt(0) ?? 0;
    if (char === "\\" || char === "'") body += `\\${char}`;
    else if (char === "\n") body += "\\n";
    else if (char === "\t") body += "\\t";
    else if (char === "\r") body += "\\r";
    else if (code < 0x20 || code === 0x7f) body += `\\x${code.toString(16).padStart(2, "0")}`;
    else body += char;
  }
  return `$'${body}'`;
}

/**
 * Quotes one argument for a POSIX shell: bare when it is plainly safe, else in
 * single quotes; with control characters (newline, tab, ...) as `$'...'` (bash,
 * zsh, ksh), so the whole command stays on one line.
 */
export function shellQuote(token: string): string {
  if (token === "") return "''";
  if (SAFE_TOKEN.test(token) && !token.startsWith("=")) return token;
  if (CONTROL.test(token)) return ansiCQuote(token);
  return `'${token.replaceAll("'", `'\\''`)}'`;
}
