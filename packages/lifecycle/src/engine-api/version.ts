// `GET /version` with Node's own http client: the one question `mcpproxy serve`
// asks the engine before it is ready, answered without spawning the docker CLI or
// loading the full API client (docker-modem, ssh2), which the first isolated
// start loads anyway.
import http from "node:http";
import { connectionTarget, engineConnection } from "./connection.ts";
import type { EngineEndpoint } from "./endpoint.ts";
import { EngineApiError } from "./errors.ts";

/** The engine's version (e.g. "20.10.24+dfsg1"); EngineApiError when it cannot say within `timeoutMs`. */
export async function engineVersion(endpoint: EngineEndpoint, timeoutMs: number): Promise<string> {
  const connection = engineConnection(endpoint);
  // node:https (TLS) costs ~5 ms to load: only a TLS endpoint pays for it.
  const client = connection.protocol === "https" ? (await import("node:https")).default : http;
  const where = `${endpoint.host} (context ${endpoint.context})`;
  const signal = AbortSignal.timeout(timeoutMs);
  return new Promise((resolve, reject) => {
    const request = client.request(
      {
        ...connectionTarget(connection),
        path: "/version",
        method: "GET",
        signal,
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("error", reject);
        response.on("end", () => {
          let version: unknown;
          try {
            version = (JSON.parse(body) as { Version?: unknown }).Version;
          } catch {
            version = undefined;
          }
          if (response.statusCode === 200 && typeof version === "string" && version !== "") {
            resolve(version);
            return;
          }
          reject(
            new EngineApiError(
              "ENGINE_REFUSED",
              `GET /version at ${where} answered ${String(response.statusCode)}: ${body.trim().slice(0, 200)}`,
              { statusCode: response.statusCode },
            ),
          );
        });
      },
    );
    request.on("error", (error: Error & { code?: string }) => {
      if (signal.aborted) {
        reject(
          new EngineApiError(
            "ENGINE_TIMEOUT",
            `the Docker engine at ${where} did not answer within ${timeoutMs / 1000} s`,
            {
              cause: error,
            },
          ),
        );
        return;
      }
      reject(
        new EngineApiError("ENGINE_UNREACHABLE", `${error.code ?? "error"}: ${error.message}`, {
          cause: error,
        }),
      );
    });
    request.end();
  });
}
