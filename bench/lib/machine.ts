// What the benchmark ran on: kernel, CPU, memory, Node, Docker client/server.
import { readFile } from "node:fs/promises";
import os from "node:os";
import { docker, run } from "./exec.ts";

export interface MachineInfo {
  uname: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  dockerClient: string;
  dockerServer: string;
  dockerDetails: string;
}

async function cpuModel(): Promise<string> {
  const text = await readFile("/proc/cpuinfo", "utf8").catch(() => "");
  return /^model name\s*:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? os.cpus()[0]?.model ?? "unknown";
}

export async function machineInfo(): Promise<MachineInfo> {
  const [uname, cpu, client, server, details] = await Promise.all([
    run("uname", ["-a"]).then((s) => s.trim()),
    cpuModel(),
    docker(["version", "--format", "{{.Client.Version}} (API {{.Client.APIVersion}})"]).then((s) => s.trim()),
    docker(["version", "--format", "{{.Server.Version}} (API {{.Server.APIVersion}})"]).then((s) => s.trim()),
    docker([
      "info",
      "--format",
      "storage {{.Driver}}, cgroup v{{.CgroupVersion}} ({{.CgroupDriver}}), containerd {{.ContainerdCommit.ID}}, runc {{.RuncCommit.ID}}",
    ]).then((s) => s.trim()),
  ]);
  return {
    uname,
    cpu,
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    dockerClient: client,
    dockerServer: server,
    dockerDetails: details,
  };
}
