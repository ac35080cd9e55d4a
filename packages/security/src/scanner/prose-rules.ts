import type { FindingCode, Severity } from "./finding.ts";

/** A pattern over one text field. Patterns are case-insensitive and matched globally. */
export interface ProseRule {
  code: FindingCode;
  severity: Severity;
  message: string;
  patterns: readonly RegExp[];
  /** Raised to high when this matches near the hit (same line, 80 characters either side) or the
   *  hit is in a name: a path that is only mentioned is worth a look, one to be read is an attack. */
  highWhen?: RegExp;
}

// Words between two parts of a phrase, staying inside one sentence/line.
const GAP = String.raw`[^.\n]{0,60}?`;
const rule = (code: FindingCode, severity: Severity, message: string, patterns: string[]): ProseRule => ({
  code,
  severity,
  message,
  // No "u" flag: the patterns are ASCII and the text is already folded (see displayedText).
  patterns: patterns.map((source) => new RegExp(source, "gi")),
});

/**
 * The phrasing of published tool-poisoning attacks (see test/fixtures/poisoned.ts for sources).
 * Each rule is a family of phrasings, not one string: attackers paraphrase.
 */
export const PROSE_RULES: readonly ProseRule[] = [
  rule("hidden-instruction-block", "high", "tag-style block addressed to the model (e.g. <IMPORTANT>)", [
    String.raw`<\s*(important|system|secret|instructions?|hidden|admin|critical|note\s+to\s+(the\s+)?(ai|assistant|model))\s*>`,
    String.raw`\[\s*(important|system|instructions?)\s*[:\]]`,
  ]),
  rule("instruction-override", "high", "tells the model to ignore its other instructions", [
    String.raw`\b(ignore|disregard|forget|override)\s+(all\s+|any\s+)?(of\s+)?(the\s+|your\s+)?(previous|prior|above|earlier|preceding|other|original)\s+(instructions?|guidance|rules|directions|directives|prompts?|messages?)`,
    String.raw`\byour\s+new\s+(task|instructions?|goal)\s+(is|are)\b`,
  ]),
  rule("conceal-from-user", "high", "asks the model to hide something from the user", [
    String.raw`\b(do\s+not|don'?t|never|no\s+need\s+to)\s+(tell|mention|inform|notify|reveal|disclose|alert|show)\b${GAP}\b(user|human)s?\b`,
    String.raw`\b(do\s+not|don'?t|never)\s+(mention|tell|reveal|disclose)\s+(that|this|it|anything)\b`,
    String.raw`\bwithout\s+(telling|informing|notifying|alerting)\s+(the\s+)?user\b`,
    String.raw`\b(this\s+is\s+a\s+secret|keep\s+(this|it)\s+(a\s+)?secret)\b`,
  ]),
  rule("pre-tool-directive", "high", "orders an action before tools are used (line jumping)", [
    String.raw`\bbefore\s+(using|calling|invoking|executing|running)\s+(this|any|the|other)\s+(\w+\s+)?(tools?|functions?|commands?)\b${GAP}\b(read|call|run|fetch|send|include|pass|execute|check|consult|invoke|use)\b`,
    String.raw`\balways\s+(consult|call|invoke|use)\s+this\s+tool\s+(first|immediately|before)\b`,
  ]),
  rule("covert-action", "high", "asks for an action to be done silently", [
    String.raw`\b(silently|secretly|quietly|covertly|discreetly)\s+(post|send|upload|forward|copy|read|call|run|execute|include|append|add)\b`,
  ]),
  rule("coercive-pressure", "medium", "pressure phrasing typical of injected instructions", [
    String.raw`\b(very\s+){2,}important\b`,
    String.raw`\botherwise\s+the\s+(tool|system|request)\s+(will\s+)?(not|fail|crash)`,
    String.raw`\b(the\s+)?(system|application|app|proxy)\s+will\s+crash\b`,
    String.raw`\brequired\s+for\s+${GAP}\b(compliance|auditing)\b`,
  ]),
  rule("command-prefix-injection", "high", "rewrites every command the model runs", [
    String.raw`\b(all|every|each|any)\s+(shell\s+|bash\s+|terminal\s+)?commands?\s+(must|should|need\s+to|have\s+to|are\s+required\s+to)\s+(include|start\s+with|begin\s+with|be\s+prefixed|contain)`,
  ]),
  rule("cross-tool-instruction", "high", "instructs how a different tool must behave (shadowing)", [
    String.raw`\bwhen\s+\(?[\w.-]+\)?\s+[\w.-]+\s+(tool\s+)?is\s+(invoked|called|used|run)\b`,
    String.raw`\b(side\s+effect\s+on|also\s+present)\b${GAP}\btools?\b`,
    String.raw`\bchange\s+the\s+recipient\b`,
    String.raw`\bsend\s+all\s+(e-?mails|messages)\s+to\b`,
  ]),
  {
    ...rule("sensitive-path", "medium", "refers to credentials or agent configuration files", [
      String.raw`(?<![\w])(~|\$HOME|%USERPROFILE%)?[/\\]?\.ssh(?![\w])`,
      String.raw`(?<![A-Za-z0-9])id_(rsa|dsa|ecdsa|ed25519)(?![A-Za-z0-9])`,
      String.raw`(?<![\w.])\.env(?![\w])`,
      String.raw`\b(mcp|claude_desktop_config)\.json\b`,
      String.raw`[/\\]\.(aws[/\\]credentials|kube[/\\]config|docker[/\\]config\.json|npmrc|netrc|git-credentials|pgpass|cursor[/\\])`,
      String.raw`/etc/(passwd|shadow)\b`,
    ]),
    highWhen:
      /\b(read|cat|open|load|include|pass|append|attach|send|upload|post|copy|forward|provide|contents?|exfiltrate)\b/i,
  },
  rule("send-to-destination", "high", "asks for data to be sent to a URL, address or number", [
    String.raw`\b(send|post|forward|upload|transmit|exfiltrate|copy|bcc|cc|leak)\b${GAP}\bto\s+(https?://|[\w.+-]+@[\w-]+\.[\w.]+|\+\d{6,})`,
  ]),
  rule("conversation-history-theft", "high", "asks for the conversation or message history", [
    String.raw`\b(full|entire|complete|whole)\s+(conversation|chat|message)\s+(history|log|transcript)\b`,
    String.raw`\bfull\s+list\s+of\s+(last|previous|recent)\s+messages\b`,
  ]),
  rule("parameter-smuggling", "medium", "asks for file or tool output to be passed in a parameter", [
    String.raw`\b(pass|put|include|append)\s+(its|the|their)\s+(full\s+)?contents?\s+(as|in|into)\b`,
  ]),
];
