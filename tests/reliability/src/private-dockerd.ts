// A private Docker engine for tests that stop and restart the engine: its own
// socket, data root, exec root (and so its own managed containerd), pid file,
// no bridge and no iptables, and its own network namespace. The shared engine
// that other tests use in parallel is never touched: a dockerd started with
// `--bridge=none` deletes any `docker0` link it can see, so it must not see the
// host's.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { closeSync, openSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";

export class PrivateEngineError extends Error {
  readonly code = "PRIVATE_ENGINE_FAILED";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PrivateEngineError";
  }
}

/** Why a private engine cannot run here, or undefined when it can. */
export async function privateEngineUnavailable(): Promise<string | undefined> {
  if (process.platform !== "linux") return `a private dockerd needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return "a private dockerd needs root (run the tests as root, as CI does)";
  const which = await execa("dockerd", ["--version"], { reject: false, timeout: 10_000 });
  if (which.exitCode !== 0) return "no `dockerd` binary on PATH (Debian: apt-get install docker.io)";
  const ip = await execa("ip", ["netns", "list"], { reject: false, timeout: 10_000 });
  if (ip.exitCode !== 0) return "no `ip netns` (Debian: apt-get install iproute2)";
  return undefined;
}

export interface PrivateEngine {
  /** unix:///.../docker.sock */
  readonly host: string;
  readonly dir: string;
  /** `docker` CLI against this engine. */
  docker(args: string[], options?: { input?: string }): Promise<string>;
  /** Copies an image from the shared engine (docker save | docker load). */
  loadImage(image: string): Promise<void>;
  /** SIGTERM to dockerd, then waits until it exited (its containers are stopped by it). */
  stop(): Promise<void>;
  /** Starts dockerd again with the same data: waits until it answers. */
  start(): Promise<void>;
  /** SIGSTOP to dockerd: a hung engine (its socket accepts, nothing answers). */
  pause(): void;
  /** SIGCONT: the engine answers again. */
  resume(): void;
  /** Stops the engine and deletes its directory. */
  destroy(): Promise<void>;
}

export async function startPrivateEngine(): Promise<PrivateEngine> {
  // Short path: unix socket paths are limited to ~107 bytes.
  const dir = await mkdtemp(path.join(tmpdir(), "mcpx-dockerd-"));
  const socket = path.join(dir, "docker.sock");
  const host = `unix://${socket}`;
  const env = { ...process.env, DOCKER_HOST: host };
  // The engine's own network namespace (its socket stays reachable: it is a file).
  const netns = `mcpx-${path.basename(dir).replace(/[^A-Za-z0-9]/g, "")}`;
  await execa("ip", ["netns", "add", netns]);
  // nsenter, not `ip netns exec`: the latter also makes a mount namespace that
  // hides the cgroup v1 mounts dockerd needs.
  const inNetns = [`--net=/run/netns/${netns}`];
  await execa("nsenter", [...inNetns, "ip", "link", "set", "lo", "up"]);
  let daemon: ChildProcess | undefined;
  let exited: Promise<unknown> | undefined;

  async function docker(args: string[], options: { input?: string } = {}): Promise<string> {
    const result = await execa("docker", args, { env, timeout: 120_000, input: options.input });
    return result.stdout;
  }

  async function start(): Promise<void> {
    const log = openSync(path.join(dir, "dockerd.log"), "a");
    daemon = spawn(
      "nsenter",
      [
        ...inNetns,
        "dockerd",
        "--host",
        host,
        "--data-root",
        path.join(dir, "data"),
        "--exec-root",
        path.join(dir, "exec"),
        "--pidfile",
        path.join(dir, "docker.pid"),
        "--bridge=none",
        "--iptables=false",
        "--ip-masq=false",
        "--shutdown-timeout=2",
        "--log-level=warn",
      ],
      { stdio: ["ignore", log, log] },
    );
    closeSync(log);
    exited = once(daemon, "exit");
    const deadline = Date.now() + 60_000;
    for (;;) {
      const probe = await execa("docker", ["info", "--format", "{{.ServerVersion}}"], {
        env,
        reject: false,
        timeout: 10_000,
      });
      if (probe.exitCode === 0) return;
      if (daemon.exitCode !== null || Date.now() > deadline) {
        const tail = await execa("tail", ["-n", "20", path.join(dir, "dockerd.log")], { reject: false });
        throw new PrivateEngineError(`the private dockerd did not start:\n${tail.stdout}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async function stop(): Promise<void> {
    if (daemon === undefined || daemon.exitCode !== null || daemon.signalCode !== null) return;
    daemon.kill("SIGTERM");
    const timer = setTimeout(() => daemon?.kill("SIGKILL"), 30_000);
    await exited;
    clearTimeout(timer);
  }

  try {
    await start();
  } catch (error) {
    await stop();
    await rm(dir, { recursive: true, force: true });
    await execa("ip", ["netns", "delete", netns], { reject: false });
    throw error;
  }

  return {
    host,
    dir,
    docker,
    async loadImage(image) {
      try {
        // `docker save` runs against the shared engine (this process's own environment).
        await execa("docker", ["save", image], { buffer: false }).pipe("docker", ["load", "--quiet"], {
          env,
        });
      } catch (cause) {
        throw new PrivateEngineError(`copying ${image} into the private engine failed`, { cause });
      }
    },
    stop,
    start,
    pause() {
      // nsenter execs dockerd in place (no --fork): this pid is dockerd's.
      daemon?.kill("SIGSTOP");
    },
    resume() {
      daemon?.kill("SIGCONT");
    },
    async destroy() {
      daemon?.kill("SIGCONT");
      const left = await docker(["ps", "-aq"]).catch(() => "");
      if (left.trim() !== "") await docker(["rm", "-f", ...left.split("\n").filter(Boolean)]).catch(() => "");
      await stop();
      // A clean shutdown unmounts everything; unmount leftovers of an unclean one before deleting.
      await execa("sh", ["-c", `grep -o " ${dir}[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l`], {
        reject: false,
      });
      await rm(dir, { recursive: true, force: true });
      await execa("ip", ["netns", "delete", netns], { reject: false });
    },
  };
}
