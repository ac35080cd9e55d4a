// Asks for the API key once; the proxy answers with an HttpOnly session cookie.
// The key is kept nowhere in the page after that.
import { useState } from "preact/hooks";
import { ApiError, login, type Session } from "./api.ts";

export function Login({ onLoggedIn }: { onLoggedIn: (session: Session) => void }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const session = await login(key.trim());
      setKey("");
      onLoggedIn(session);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="center">
      <h1>MCPProxy</h1>
      <form onSubmit={(e) => void submit(e)} class="login">
        <label for="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autocomplete="current-password"
          required
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
          aria-describedby="api-key-help"
        />
        <p id="api-key-help" class="muted">
          It is <code>api_key</code> in mcp_config.json (and printed by <code>mcpproxy serve</code>).
        </p>
        <button type="submit" disabled={busy}>
          Log in
        </button>
        {error !== undefined && (
          <p role="alert" class="error-text">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
