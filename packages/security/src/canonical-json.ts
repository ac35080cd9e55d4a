import { SecurityError } from "./errors.ts";

/**
 * JSON with object keys sorted at every depth and `undefined` members dropped, so two
 * semantically equal definitions serialise to the same bytes whatever their key order.
 * Array order is kept: it is meaningful (e.g. `required`, `enum`).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value, "$"));
}

function sortKeys(value: unknown, path: string): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new SecurityError("INVALID_DEFINITION", `${path} is ${value}, which JSON cannot represent`);
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((item, index) => sortKeys(item ?? null, `${path}[${index}]`));
  if (typeof value === "object") {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) sorted[key] = sortKeys(member, `${path}.${key}`);
    }
    return sorted;
  }
  throw new SecurityError("INVALID_DEFINITION", `${path} is a ${typeof value}, which JSON cannot represent`);
}
