// Peers a user might pick instead of MCPProxy, installed outside the pnpm
// workspace (bench/peers: a flat `npm ci` from its committed lockfile).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { handTypedDockerRun, uniqueName } from "./clients.ts";
import { BenchError, removeContainers, run, sleep, spawnProcess, type Spawned } from "./exec.ts";

const peersDir = fileURLToPath(new URL("../peers/", import.meta.url));
const supergatewayEntry = path.join(peersDir, "node_modules/supergateway/dist/index.js");

/** `npm ci` in bench/peers when its node_modules is missing or differs from the lockfile. */
export async function ensurePeersInstalled(): Promise<void> {
  const installedLock = path.join(peersDir, "node_modules/.package-lock.json");
  if (existsSync(supergatewayEntry) && existsSync(installedLock)) {
    const wanted = JSON.parse(await readFile(path.join(peersDir, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string }>;
    };
    const have = JSON.parse(await readFile(installedLock, "utf8")) as {
      packages: Record<string, { version?: string }>;
    };
    const key = "node_modules/supergateway";
    if (wanted.packages[key]?.version === have.packages[key]?.version) return;
  }
  process.stderr.write("installing bench peers (npm ci in bench/peers)...\n");
  await run("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], {
    cwd: peersDir,
    timeoutMs: 300_000,
  });
}

export async function supergatewayVersion(): Promise<string> {
  const pkg = JSON.parse(
    await readFile(path.join(peersDir, "node_modules/supergateway/package.json"), "utf8"),
  ) as {
    version: string;
  };
  return pkg.version;
}

/** A free TCP port on loopback (bound and released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export interface Supergateway {
  mcpUrl: string;
  containerName: string;
  stop(): Promise<void>;
}

/**
 * supergateway exposing the same container (`docker run -i --rm …`) over
 * Streamable HTTP, stateful (one child per session, like the proxy's one
 * container per server).
 */
export async function startSupergateway(image: string): Promise<Supergateway> {
  const port = await freePort();
  const containerName = uniqueName("bench-supergateway");
  const stdioCommand = ["docker", ...handTypedDockerRun(image, containerName)].join(" ");
  const spawned: Spawned = spawnProcess(process.execPath, [
    supergatewayEntry,
    "--stdio",
    stdioCommand,
    "--outputTransport",
    "streamableHttp",
    "--stateful",
    "--port",
    String(port),
    "--logLevel",
    "none",
  ]);
  const mcpUrl = `http://127.0.0.1:${port}/mcp`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    // Any HTTP answer means it listens (a GET without a session is refused, which is fine).
    const up = await fetch(mcpUrl, { method: "GET" }).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (spawned.child.exitCode !== null || Date.now() > deadline) {
      throw new BenchError(`supergateway did not start: ${spawned.stderrTail()}`);
    }
    await sleep(50);
  }
  return {
    mcpUrl,
    containerName,
    async stop() {
      await spawned.stop(10_000);
      await removeContainers([containerName]);
    },
  };
}
