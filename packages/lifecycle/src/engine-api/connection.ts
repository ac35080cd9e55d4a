// How to open a connection to an endpoint: the socket or pipe path, or host, port
// and TLS material. Shared by the API client (docker-modem) and the version probe,
// which must not load docker-modem (ssh2 and friends) just to ask one question.
import { readFileSync } from "node:fs";
import type { EngineEndpoint } from "./endpoint.ts";
import { EngineApiError } from "./errors.ts";

export interface EngineConnection {
  /** For unix sockets and Windows named pipes. */
  socketPath?: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
  protocol?: "http" | "https" | undefined;
  /** PEM contents for https. */
  ca?: Buffer | undefined;
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
}

/** The part of node:http(s) request options that says where the engine is and how to trust it. */
export function connectionTarget(
  connection: EngineConnection,
): { socketPath: string } | Pick<EngineConnection, "host" | "port" | "ca" | "cert" | "key"> {
  if (connection.socketPath !== undefined) return { socketPath: connection.socketPath };
  const { host, port, ca, cert, key } = connection;
  return { host, port, ca, cert, key };
}

/**
 * Connection options of an endpoint the Engine API client speaks; ENDPOINT_UNSUPPORTED
 * for ssh:// and for TLS without verification (the CLI path handles those).
 */
export function engineConnection(endpoint: EngineEndpoint): EngineConnection {
  if (endpoint.kind === "unix" || endpoint.kind === "npipe") return { socketPath: endpoint.socketPath };
  if (endpoint.kind === "ssh") {
    throw new EngineApiError(
      "ENDPOINT_UNSUPPORTED",
      `the endpoint ${endpoint.host} (context ${endpoint.context}) is ssh://, which the docker CLI reaches through \`ssh ... docker system dial-stdio\`; the CLI path is used`,
    );
  }
  const tls = endpoint.tls;
  if (tls === undefined) return { host: endpoint.hostname, port: endpoint.port, protocol: "http" };
  if (!tls.verify) {
    throw new EngineApiError(
      "ENDPOINT_UNSUPPORTED",
      `the endpoint ${endpoint.host} (context ${endpoint.context}) skips TLS verification; the Engine API client never does, so the CLI path is used`,
    );
  }
  const pem = (file: string | undefined): Buffer | undefined =>
    file === undefined ? undefined : readFileSync(file);
  return {
    host: endpoint.hostname,
    port: endpoint.port,
    protocol: "https",
    ca: pem(tls.ca),
    cert: pem(tls.cert),
    key: pem(tls.key),
  };
}
