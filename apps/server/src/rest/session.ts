// Dashboard sessions: the API key is given once (POST /api/v1/session) and the
// browser keeps an opaque id in an HttpOnly, SameSite=Strict cookie — the key
// itself never reaches a URL or script-readable storage. Each session has a
// CSRF token that POSTs authenticated by the cookie must echo in a header.
// A session is bound to the key it was opened with: changing api_key ends it.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export const SESSION_COOKIE = "mcpproxy_session";
export const CSRF_HEADER = "x-csrf-token";
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const MAX_SESSIONS = 256;

interface Session {
  csrf: string;
  keyHash: string;
  expires: number;
}

export interface SessionStore {
  /** Opens a session for the key in force; returns the cookie value and its CSRF token. */
  open(apiKey: string): { id: string; csrf: string };
  /** The session of a cookie value, if it is live and opened with the key now in force. */
  find(id: string | undefined, apiKey: string | undefined): { csrf: string } | undefined;
  close(id: string | undefined): void;
}

function hashOf(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export function createSessionStore(now: () => number = Date.now): SessionStore {
  const sessions = new Map<string, Session>();

  return {
    open(apiKey) {
      if (sessions.size >= MAX_SESSIONS) {
        // Oldest first: Map keeps insertion order.
        const oldest = sessions.keys().next().value;
        if (oldest !== undefined) sessions.delete(oldest);
      }
      const id = randomBytes(32).toString("base64url");
      const csrf = randomBytes(24).toString("base64url");
      sessions.set(hashOf(id), { csrf, keyHash: hashOf(apiKey), expires: now() + SESSION_TTL_MS });
      return { id, csrf };
    },
    find(id, apiKey) {
      if (id === undefined || id === "" || apiKey === undefined) return undefined;
      const key = hashOf(id);
      const session = sessions.get(key);
      if (!session) return undefined;
      if (session.expires < now() || session.keyHash !== hashOf(apiKey)) {
        sessions.delete(key);
        return undefined;
      }
      return { csrf: session.csrf };
    },
    close(id) {
      if (id !== undefined) sessions.delete(hashOf(id));
    },
  };
}

/** Constant-time check of the CSRF header against the session's token. */
export function csrfMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
