// Names of servers and files that never collide with a parallel test's.
import { randomBytes } from "node:crypto";

/** `<prefix>-<6 hex digits>`, unique per call. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString("hex")}`;
}
