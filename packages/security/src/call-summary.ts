/** What the activity log keeps of a call's arguments and result. */
export interface CallSummary {
  /** Top-level argument names, sorted. */
  argumentKeys: string[];
  /** UTF-8 bytes of the arguments as JSON. */
  argumentBytes: number;
  /** UTF-8 bytes of the result as JSON (0 when there is none). */
  resultBytes: number;
  /** Argument values with secrets redacted; only when the server's `log_argument_values` is on. */
  argumentValues?: Record<string, unknown>;
}

export const REDACTED = "[redacted]";
const MAX_LOGGED_STRING = 256;

// Names of fields that hold secrets, matched word-wise on snake_cased keys at any depth
// ("accessToken" → access_token matches; "author" does not).
const SECRET_KEY_WORD =
  /(^|_)(pass(word|phrase|wd)?|secrets?|tokens?|api_?key|auth|authorization|credentials?|cookies?|session(_id)?|private_key|signature)($|_)/;

function isSecretKey(key: string): boolean {
  const snake = key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/-/g, "_")
    .toLowerCase();
  return SECRET_KEY_WORD.test(snake);
}

// Values that are secrets whatever their key: bearer/basic headers, PEM keys, well-known token
// formats (GitHub, OpenAI/Anthropic-style sk-, Slack, AWS access key ids, Google API keys, JWTs).
const SECRET_VALUE = new RegExp(
  [
    String.raw`^\s*(bearer|basic)\s+\S+`,
    String.raw`-----BEGIN [A-Z ]*PRIVATE KEY-----`,
    String.raw`\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})`,
    String.raw`\bsk-[A-Za-z0-9_-]{16,}`,
    String.raw`\bxox[abposr]-[A-Za-z0-9-]{10,}`,
    String.raw`\b(AKIA|ASIA)[A-Z0-9]{16}\b`,
    String.raw`\bAIza[0-9A-Za-z_-]{35}\b`,
    String.raw`\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`,
    String.raw`://[^/\s:@]+:[^/\s@]+@`,
  ].join("|"),
  "i",
);

/** Summarises a tool call for the activity log (pure). */
export function summarizeCall(input: {
  arguments?: unknown;
  result?: unknown;
  logValues?: boolean;
}): CallSummary {
  const args = input.arguments;
  const isRecord = args !== null && typeof args === "object" && !Array.isArray(args);
  const summary: CallSummary = {
    argumentKeys: isRecord ? Object.keys(args).sort() : [],
    argumentBytes: jsonBytes(args),
    resultBytes: jsonBytes(input.result),
  };
  if (input.logValues === true && isRecord) summary.argumentValues = redact(args) as Record<string, unknown>;
  return summary;
}

/** Replaces secret-named fields and secret-looking strings; shortens long strings. */
export function redact(value: unknown, key = ""): unknown {
  if (key !== "" && isSecretKey(key)) return REDACTED;
  if (typeof value === "string") {
    if (SECRET_VALUE.test(value)) return REDACTED;
    return value.length > MAX_LOGGED_STRING
      ? `${value.slice(0, MAX_LOGGED_STRING)}…(${value.length - MAX_LOGGED_STRING} more characters)`
      : value;
  }
  if (Array.isArray(value)) return value.map((item) => redact(item));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([name, member]) => [name, redact(member, name)]));
  }
  return value;
}

function jsonBytes(value: unknown): number {
  if (value === undefined) return 0;
  return Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");
}
