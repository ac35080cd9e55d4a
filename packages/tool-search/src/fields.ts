// A tool read the way a model reads it when choosing: its name and title, the
// first sentence of its description, the rest of it (capped, so that a few very
// long descriptions cannot dominate), its parameters, and its server's name.
import type { Tool } from "@modelcontextprotocol/sdk/types.js";

export interface ToolFields {
  name: string;
  title: string;
  summary: string;
  details: string;
  params: string;
  server: string;
}

/** Words of a description kept past its first sentence. */
export const DETAILS_WORD_CAP = 60;
/** Words of each parameter description kept. */
const PARAM_WORD_CAP = 12;

function capWords(text: string, cap: number): string {
  const all = text.split(/\s+/).filter(Boolean);
  return all.slice(0, cap).join(" ");
}

/** The first sentence (up to . ! ? followed by a space, or a line break) and the rest. */
export function splitFirstSentence(description: string): { summary: string; rest: string } {
  const text = description.trim();
  const end = text.search(/[.!?](\s|$)|\n/);
  if (end === -1) return { summary: text, rest: "" };
  return { summary: text.slice(0, end + 1).trim(), rest: text.slice(end + 1).trim() };
}

function parameterText(tool: Tool): string {
  const properties = tool.inputSchema.properties;
  if (!properties || typeof properties !== "object") return "";
  return Object.entries(properties)
    .map(([name, schema]) => {
      const description = (schema as { description?: unknown } | null)?.description;
      return typeof description === "string" ? `${name} ${capWords(description, PARAM_WORD_CAP)}` : name;
    })
    .join(" ");
}

export function toolFields(server: string, tool: Tool): ToolFields {
  const { summary, rest } = splitFirstSentence(tool.description ?? "");
  return {
    name: tool.name,
    title: tool.title ?? tool.annotations?.title ?? "",
    summary,
    details: capWords(rest, DETAILS_WORD_CAP),
    params: parameterText(tool),
    server,
  };
}
