// The dashboard shell: session check and login, hash routes (#/, #/servers/NAME,
// #/tools), the live connection and engine banners.
import { useEffect, useState } from "preact/hooks";
import { ApiError, loadSession, logout, type Session } from "./api.ts";
import { useLive, type LiveState } from "./live.ts";
import { Login } from "./login.tsx";
import { ServerPage } from "./server-page.tsx";
import { ServerList } from "./servers.tsx";
import { ToolSearch } from "./tools.tsx";

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const update = () => setHash(location.hash);
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return hash;
}

/** "a, b, c, d, e and 7 more" */
function namesOf(names: string[]): string {
  const shown = names.slice(0, 5).join(", ");
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

function Banners({ live }: { live: LiveState }) {
  // Servers whose container engine does not answer (lifecycle probes it and starts them when it does).
  const waiting = live.servers.filter((s) => s.engine_unreachable !== null);
  const finding = live.servers.flatMap((s) => s.findings).find((f) => f.code === "engine-unreachable");
  return (
    <>
      {live.connection !== "live" && (
        <p class="banner warn" role="status">
          {live.connection === "connecting"
            ? "Connecting to the proxy…"
            : "Reconnecting to the proxy… (the states shown may be out of date)"}
        </p>
      )}
      {(waiting.length > 0 || finding !== undefined) && (
        <div class="banner error" role="alert" data-banner="engine-unreachable">
          <strong>The container engine is unreachable:</strong> isolated servers cannot start.
          {waiting.length > 0 && (
            <p>
              Waiting for it ({namesOf(waiting.map((s) => s.name))}): they start again by themselves when it
              answers. {waiting[0]?.engine_unreachable}
            </p>
          )}
          {finding && <p>{finding.fix}</p>}
        </div>
      )}
    </>
  );
}

function Dashboard({ onLoggedOut, keyRequired }: { onLoggedOut: () => void; keyRequired: boolean }) {
  const live = useLive(true, onLoggedOut);
  const hash = useHash();
  const serverMatch = /^#\/servers\/(.+)$/.exec(hash);
  const serverName = serverMatch?.[1] === undefined ? undefined : decodeURIComponent(serverMatch[1]);
  const page = serverName !== undefined ? "server" : hash === "#/tools" ? "tools" : "servers";

  useEffect(() => {
    document.title =
      page === "server"
        ? `${serverName ?? ""} · MCPProxy`
        : page === "tools"
          ? "Tools · MCPProxy"
          : "MCPProxy";
  }, [page, serverName]);

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <span class="brand">MCPProxy</span>
        <nav aria-label="Main">
          <a href="#/" aria-current={page === "servers" ? "page" : undefined}>
            Servers
          </a>
          <a href="#/tools" aria-current={page === "tools" ? "page" : undefined}>
            Tools
          </a>
          <a href="/api/v1/docs">API</a>
        </nav>
        <span class={`conn ${live.connection}`}>{live.connection === "live" ? "● live" : "○ offline"}</span>
        {keyRequired && (
          <button type="button" onClick={() => void logout().then(onLoggedOut)}>
            Log out
          </button>
        )}
      </header>
      <Banners live={live} />
      <main id="main" tabIndex={-1}>
        {page === "server" && serverName !== undefined ? (
          <ServerPage name={serverName} live={live} />
        ) : page === "tools" ? (
          <ToolSearch />
        ) : (
          <ServerList live={live} />
        )}
      </main>
    </>
  );
}

export function App() {
  const [session, setSession] = useState<Session | undefined>();
  const [error, setError] = useState<string | undefined>();

  const check = () => {
    loadSession()
      .then((s) => {
        setSession(s);
        setError(undefined);
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : String(e)));
  };
  useEffect(check, []);

  if (error !== undefined && session === undefined) {
    return (
      <main id="main" class="center">
        <h1>MCPProxy</h1>
        <p role="alert">{error}</p>
        <button type="button" onClick={check}>
          Try again
        </button>
      </main>
    );
  }
  if (session === undefined) return <p role="status">Loading…</p>;
  if (!session.authenticated) return <Login onLoggedIn={setSession} />;
  return <Dashboard keyRequired={session.key_required} onLoggedOut={check} />;
}
