// Which container CLI a call runs: `docker` unless another CLI-compatible one
// (podman) is set. Its own file, free of execa: the Engine API route and the boot
// probe ask it without loading the CLI runner.
import type { DockerCliOptions } from "./types.ts";

export function dockerBinary(docker?: DockerCliOptions): string {
  return docker?.command ?? "docker";
}
