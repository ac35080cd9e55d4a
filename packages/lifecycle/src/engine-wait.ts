// Waiting out an engine outage (Docker Desktop restart, `systemctl restart
// docker`, a hung dockerd): the engine is probed with backoff up to once a
// minute for as long as it takes, and the server starts again when it answers.
// An outage is not the server's fault, so it never counts as a crash.
import type { EngineProbe } from "./launch-api.ts";
import type { LifecycleLogger } from "./types.ts";

export const ENGINE_PROBE_FIRST_MS = 1_000;
export const ENGINE_PROBE_MAX_MS = 60_000;

export class EngineWait {
  readonly #probe: () => Promise<EngineProbe>;
  readonly #logger: LifecycleLogger | undefined;
  readonly #serverName: string;
  #timer: NodeJS.Timeout | undefined;
  #reason: string | undefined;
  #token = 0;

  /** `probe`: launch-api.ts probeEngine, asking the engine the way the server's containers are launched. */
  constructor(serverName: string, probe: () => Promise<EngineProbe>, logger: LifecycleLogger | undefined) {
    this.#serverName = serverName;
    this.#probe = probe;
    this.#logger = logger;
  }

  /** The engine error while waiting, else undefined. */
  get reason(): string | undefined {
    return this.#reason;
  }

  /** Probes until the engine answers, then calls `onBack` (once). */
  start(reason: string, onBack: () => void): void {
    this.cancel();
    this.#reason = reason;
    const token = ++this.#token;
    this.#logger?.warn(
      { server: this.#serverName },
      `server ${this.#serverName}: engine unreachable (${reason}); starting it again when the engine answers`,
    );
    const probe = (delay: number): void => {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        void this.#probe().then((info) => {
          if (token !== this.#token) return;
          if (!info.reachable) {
            if (info.error !== undefined) this.#reason = info.error;
            probe(Math.min(delay * 2, ENGINE_PROBE_MAX_MS));
            return;
          }
          this.#reason = undefined;
          this.#logger?.info(
            { server: this.#serverName },
            `server ${this.#serverName}: the engine answers again`,
          );
          onBack();
        });
      }, delay);
      this.#timer.unref();
    };
    probe(ENGINE_PROBE_FIRST_MS);
  }

  cancel(): void {
    this.#token += 1;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#reason = undefined;
  }
}
