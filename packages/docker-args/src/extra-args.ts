// Vetting of extra_args: they pass through in order, except the few that would
// duplicate or undo what the proxy relies on; risky ones produce warnings.
import {
  booleanValue,
  parseMountSpec,
  parseTmpfsSpec,
  parseVolumeSpec,
  removeFlags,
  scanFlags,
  type ScannedFlag,
} from "@mcpproxy/docker-grammar";
import { dangerousHostPath, normalizeTarget } from "./mounts.ts";
import { sharedNetworkRisk } from "@mcpproxy/config";
import type { DockerArgsWarning } from "./types.ts";

export interface VettedExtraArgs {
  /** extra_args with duplicates of `-i`/`--rm` and managed flags removed, otherwise unchanged and in order. */
  args: string[];
  warnings: DockerArgsWarning[];
  /** Normalized container paths extra_args mount something on (volumes, binds, tmpfs). */
  mountTargets: string[];
}

const HOST_NAMESPACE_FLAGS: ReadonlySet<string> = new Set(["pid", "ipc", "uts", "userns", "cgroupns"]);
const RISKY_CAPABILITIES: ReadonlySet<string> = new Set([
  "ALL",
  "SYS_ADMIN",
  "SYS_PTRACE",
  "SYS_MODULE",
  "SYS_RAWIO",
  "NET_ADMIN",
  "DAC_READ_SEARCH",
  "BPF",
]);
const UNCONFINED_SECURITY_OPTS: ReadonlySet<string> = new Set([
  "seccomp=unconfined",
  "apparmor=unconfined",
  "label=disable",
  "systempaths=unconfined",
]);
const MANAGED_LABEL_PREFIX = "io.mcpproxy.";

function flagText(tokens: readonly string[], flag: ScannedFlag): string {
  const end =
    flag.valueAt !== undefined && flag.valueAt.index !== flag.index ? flag.valueAt.index : flag.index;
  return tokens.slice(flag.index, end + 1).join(" ");
}

/** Warning text for a dangerous host path, or undefined. */
export function mountWarning(source: string | undefined, arg: string): DockerArgsWarning | undefined {
  const danger = dangerousHostPath(source);
  if (danger === undefined) return undefined;
  return {
    code: "DANGEROUS_MOUNT",
    message: `mounting ${JSON.stringify(source)} gives the server ${danger}; isolation no longer protects the host`,
    arg,
  };
}

export function vetExtraArgs(extraArgs: readonly string[], networkMode: string): VettedExtraArgs {
  const flags: ScannedFlag[] = [];
  const warnings: DockerArgsWarning[] = [];
  let start = 0;
  while (start < extraArgs.length) {
    const scanned = scanFlags(extraArgs, start);
    flags.push(...scanned.flags);
    if (scanned.positional >= extraArgs.length) break;
    const token = extraArgs[scanned.positional] ?? "";
    warnings.push({
      code: "POSITIONAL_EXTRA_ARG",
      message: `extra_args entry ${JSON.stringify(token)} is not an option: docker would read it (or what follows) as the image`,
      arg: token,
    });
    start = scanned.positional + 1;
  }

  const dropped: ScannedFlag[] = [];
  const drop = (flag: ScannedFlag): void => {
    dropped.push(flag);
  };

  const mountTargets: string[] = [];
  for (const flag of flags) {
    const arg = flagText(extraArgs, flag);
    const value = flag.value;
    if (flag.missingValue === true) {
      warnings.push({
        code: "MISSING_FLAG_VALUE",
        message: `${arg} at the end of extra_args needs a value: docker would take the image as its value`,
        arg,
      });
      continue;
    }
    switch (flag.name) {
      case "interactive":
      case "rm": {
        const enabled = booleanValue(value);
        drop(flag);
        warnings.push(
          enabled === true
            ? { code: "DUPLICATE_FLAG", message: `${arg} in extra_args is already set; not added twice`, arg }
            : {
                code: "REQUIRED_FLAG_OVERRIDE",
                message: `${arg} in extra_args was ignored: the proxy needs -i for stdio and --rm for cleanup`,
                arg,
              },
        );
        break;
      }
      case "name":
      case "cidfile":
        drop(flag);
        warnings.push({
          code: "MANAGED_FLAG_OVERRIDE",
          message: `${arg} in extra_args was ignored: lifecycle sets it`,
          arg,
        });
        break;
      case "label":
        if (value?.startsWith(MANAGED_LABEL_PREFIX) === true) {
          drop(flag);
          warnings.push({
            code: "MANAGED_FLAG_OVERRIDE",
            message: `${arg} in extra_args was ignored: ${MANAGED_LABEL_PREFIX}* labels are managed by the proxy`,
            arg,
          });
        }
        break;
      case "privileged":
        if (booleanValue(value) === true) {
          warnings.push({
            code: "PRIVILEGED",
            message:
              "--privileged gives the container every capability and all host devices: isolation is void",
            arg,
          });
        }
        break;
      case "network":
      case "net":
        if (value !== undefined && value !== networkMode) {
          const risk = sharedNetworkRisk(value);
          warnings.push(
            risk !== undefined
              ? {
                  code: "NETWORK_HOST",
                  message: `${arg} in extra_args is a second network besides network_mode "${networkMode}": engines before API 1.44 refuse to create the container, newer ones add ${risk}; set network_mode instead`,
                  arg,
                }
              : {
                  code: "NETWORK_OVERRIDE",
                  message: `${arg} in extra_args is a second network besides network_mode "${networkMode}": engines before API 1.44 refuse to create the container, newer ones attach both; set network_mode instead`,
                  arg,
                },
          );
        }
        break;
      case "memory":
      case "cpus":
        warnings.push({
          code: "SETTING_OVERRIDE",
          message: `${arg} in extra_args overrides the configured limit`,
          arg,
        });
        break;
      case "volume":
      case "mount": {
        const spec = flag.name === "volume" ? parseVolumeSpec(value ?? "") : parseMountSpec(value ?? "");
        // Only a bind's source is a host path; a --mount volume's source is a volume name.
        const hostSource = "type" in spec && spec.type !== "bind" ? undefined : spec.source;
        const warning = mountWarning(hostSource, arg);
        if (warning !== undefined) warnings.push(warning);
        const target = normalizeTarget(spec.target);
        if (target !== undefined) mountTargets.push(target);
        break;
      }
      case "tmpfs": {
        const target = normalizeTarget(parseTmpfsSpec(value ?? "").target);
        if (target !== undefined) mountTargets.push(target);
        break;
      }
      case "cap-add":
        if (RISKY_CAPABILITIES.has((value ?? "").toUpperCase().replace(/^CAP_/, ""))) {
          warnings.push({
            code: "CAP_ADD",
            message: `${arg} lets the server escape or weaken the container`,
            arg,
          });
        }
        break;
      case "security-opt":
        if (UNCONFINED_SECURITY_OPTS.has((value ?? "").toLowerCase().replace(":", "="))) {
          warnings.push({
            code: "SECURITY_OPT_UNCONFINED",
            message: `${arg} turns off a kernel confinement layer`,
            arg,
          });
        }
        break;
      default:
        if (HOST_NAMESPACE_FLAGS.has(flag.name) && value === "host") {
          warnings.push({
            code: "HOST_NAMESPACE",
            message: `${arg} shares the host's ${flag.name} namespace with the server`,
            arg,
          });
        } else if (flag.name === "tty" && booleanValue(value) === true) {
          warnings.push({
            code: "TTY",
            message: `${arg}: a TTY mangles the stdio JSON-RPC stream ("the input device is not a TTY")`,
            arg,
          });
        } else if (flag.name === "detach" && booleanValue(value) === true) {
          warnings.push({
            code: "DETACH",
            message: `${arg}: a detached container's stdio never reaches the proxy`,
            arg,
          });
        } else if (flag.name === "env" && value?.includes("=") === true) {
          const key = value.slice(0, value.indexOf("="));
          warnings.push({
            code: "ENV_VALUE_IN_ARGV",
            message: `extra_args sets ${key} inline, so its value is visible in ps; put it in the server's env instead`,
            arg: `-e ${key}=***`,
          });
        }
    }
  }

  return { args: removeFlags(extraArgs, dropped), warnings, mountTargets };
}
