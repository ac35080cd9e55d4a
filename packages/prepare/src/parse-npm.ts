// npm-family runners: npx, npm exec, pnpm dlx, yarn dlx, bunx.
import { unsupported, type PackageRef, type PackageSpec, type ParseResult, type RunnerName } from "./spec.ts";

const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9._~-][a-z0-9._~-]*$/i;

interface RunnerGrammar {
  /** Options without a value (ignored: they do not change what is installed). */
  flags: readonly string[];
  /** Options naming a package to install (repeatable). */
  packageOptions: readonly string[];
  /** Options that change the run in ways a prepared image cannot reproduce. */
  refused: readonly string[];
}

const GRAMMARS: Record<"npx" | "npm exec" | "pnpm dlx" | "yarn dlx" | "bunx", RunnerGrammar> = {
  npx: {
    flags: [
      "-y",
      "--yes",
      "--no",
      "--no-install",
      "-q",
      "--quiet",
      "--silent",
      "--prefer-offline",
      "--prefer-online",
    ],
    packageOptions: ["-p", "--package"],
    refused: ["-c", "--call", "--registry", "--userconfig", "-w", "--workspace", "--workspaces"],
  },
  "npm exec": {
    flags: ["-y", "--yes", "--no", "-q", "--quiet", "--silent", "--prefer-offline", "--prefer-online"],
    packageOptions: ["-p", "--package"],
    refused: ["-c", "--call", "--registry", "--userconfig", "-w", "--workspace", "--workspaces"],
  },
  "pnpm dlx": {
    flags: ["-s", "--silent", "--reporter=silent"],
    packageOptions: ["--package"],
    refused: ["-c", "--shell-mode", "--allow-build"],
  },
  "yarn dlx": { flags: ["-q", "--quiet"], packageOptions: ["-p", "--package"], refused: [] },
  bunx: { flags: ["--bun", "--silent", "-y", "--yes"], packageOptions: ["-p", "--package"], refused: [] },
};

/** `@scope/name@^1` → name + range; undefined for anything that is not a registry package. */
export function parseNpmPackage(raw: string): PackageRef | "not-registry" {
  const at = raw.indexOf("@", raw.startsWith("@") ? 1 : 0);
  const name = at < 0 ? raw : raw.slice(0, at);
  const range = at < 0 ? undefined : raw.slice(at + 1);
  if (!NPM_NAME.test(name) || range === "") return "not-registry";
  if (range !== undefined && /[:/\\]/.test(range)) return "not-registry";
  return { name, range, raw };
}

function optionValue(
  args: readonly string[],
  i: number,
  option: string,
): { value: string | undefined; next: number } {
  const arg = args[i] ?? "";
  if (arg.startsWith(`${option}=`)) return { value: arg.slice(option.length + 1), next: i + 1 };
  return { value: args[i + 1], next: i + 2 };
}

function matches(arg: string, options: readonly string[]): string | undefined {
  return options.find(
    (option) => arg === option || (option.startsWith("--") && arg.startsWith(`${option}=`)),
  );
}

/** Parses the arguments after the runner (`npx <args>`, `pnpm dlx <args>`). */
export function parseNpmRunner(
  runner: RunnerName & keyof typeof GRAMMARS,
  args: readonly string[],
): ParseResult {
  const grammar = GRAMMARS[runner];
  const packages: string[] = [];
  let i = 0;
  while (i < args.length) {
    const arg = args[i] ?? "";
    if (arg === "--") {
      i++;
      break;
    }
    if (!arg.startsWith("-")) break;
    const refused = matches(arg, grammar.refused);
    if (refused !== undefined)
      return unsupported("UNSUPPORTED_FORM", `\`${runner} ${refused}\` cannot be prepared`);
    const packageOption = matches(arg, grammar.packageOptions);
    if (packageOption !== undefined) {
      const { value, next } = optionValue(args, i, packageOption);
      if (value === undefined)
        return unsupported("MISSING_PACKAGE", `\`${runner} ${packageOption}\` names no package`);
      packages.push(value);
      i = next;
    } else if (grammar.flags.includes(arg)) i++;
    else
      return unsupported(
        "UNSUPPORTED_FORM",
        `\`${runner}\` option ${arg} is not one the prepare builder knows`,
      );
  }
  const first = args[i];
  if (first === undefined) return unsupported("MISSING_PACKAGE", `\`${runner}\` names no package to run`);
  // With package options the first word is the command to run; without, it is the package.
  const bin = packages.length > 0 ? first : undefined;
  const written = packages.length > 0 ? packages : [first];
  const refs: PackageRef[] = [];
  for (const raw of written) {
    const ref = parseNpmPackage(raw);
    if (ref === "not-registry") {
      return unsupported(
        "NOT_A_REGISTRY_PACKAGE",
        `${JSON.stringify(raw)} is not a registry package (a path, URL or git spec)`,
      );
    }
    refs.push(ref);
  }
  const [primary, ...extra] = refs as [PackageRef, ...PackageRef[]];
  const spec: PackageSpec = {
    ecosystem: "npm",
    runner,
    package: primary,
    extra,
    bin,
    args: args.slice(i + 1),
  };
  return { ok: true, spec };
}
