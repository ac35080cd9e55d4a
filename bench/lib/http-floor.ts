// Starts http-floor-server.ts in its own process (as a proxy would be) and says
// where its /mcp is.
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { BenchError, spawnProcess, type Spawned } from "./exec.ts";

const SERVER = fileURLToPath(new URL("./http-floor-server.ts", import.meta.url));

export interface HttpFloor {
  mcpUrl: string;
  stop(): Promise<void>;
}

export async function startHttpFloor(): Promise<HttpFloor> {
  const spawned: Spawned = spawnProcess(process.execPath, [SERVER]);
  const stdout = spawned.child.stdout;
  if (stdout === null) throw new BenchError("the HTTP floor server has no stdout");
  stdout.setEncoding("utf8");
  const [line] = (await Promise.race([
    once(stdout, "data"),
    spawned.exited.then(() => {
      throw new BenchError(`the HTTP floor server exited: ${spawned.stderrTail()}`);
    }),
  ])) as [string];
  const port = Number(line.trim());
  return { mcpUrl: `http://127.0.0.1:${port}/mcp`, stop: () => spawned.stop(5_000) };
}
