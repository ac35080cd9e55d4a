// Python runners: uvx / uv tool run, pipx run, and `pip install x && x` scripts.
import { splitSimpleScript } from "./shell.ts";
import { unsupported, type PackageRef, type PackageSpec, type ParseResult, type RunnerName } from "./spec.ts";

const REQUIREMENT = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(\[[A-Za-z0-9._,\s-]*\])?(.*)$/;
const SPECIFIER =
  /^\s*(?:===|==|>=|<=|~=|!=|<|>)\s*[A-Za-z0-9.*+!_-]+(?:\s*,\s*(?:===|==|>=|<=|~=|!=|<|>)\s*[A-Za-z0-9.*+!_-]+)*\s*$/;

/** `pkg`, `pkg==1.2`, `pkg>=1,<2`, `pkg[extra]`, uv's `pkg@1.2` → a PackageRef; "not-registry" for paths, URLs, VCS. */
export function parsePythonRequirement(raw: string): PackageRef | "not-registry" {
  const match = REQUIREMENT.exec(raw.trim());
  if (match === null) return "not-registry";
  const [, name = "", extras, rest = ""] = match;
  let range: string | undefined;
  if (rest === "" || rest === "@latest") range = undefined;
  else if (rest.startsWith("@") && /^@[A-Za-z0-9.+!_-]+$/.test(rest)) range = `==${rest.slice(1)}`;
  else if (SPECIFIER.test(rest)) range = rest.replaceAll(/\s+/g, "");
  else return "not-registry";
  return { name, range, raw, ...(extras === undefined ? {} : { extras }) };
}

interface PythonGrammar {
  flags: readonly string[];
  /** The option that names the package when the first word is the command. */
  from: readonly string[];
  with: readonly string[];
  python: readonly string[];
  /** Options with a value that do not change what is installed. */
  ignoredWithValue: readonly string[];
}

const UV: PythonGrammar = {
  flags: ["-q", "--quiet", "-v", "--verbose", "--isolated", "--no-cache", "-n", "--refresh", "--no-progress"],
  from: ["--from"],
  with: ["--with"],
  python: ["-p", "--python"],
  ignoredWithValue: ["--cache-dir", "--color"],
};
const PIPX: PythonGrammar = {
  flags: ["-q", "--quiet", "-v", "--verbose", "--no-cache"],
  from: ["--spec"],
  with: [],
  python: ["--python"],
  ignoredWithValue: [],
};

function takeValue(args: readonly string[], i: number, options: readonly string[]) {
  const arg = args[i] ?? "";
  for (const option of options) {
    if (arg === option) return { option, value: args[i + 1], next: i + 2 };
    if (option.startsWith("--") && arg.startsWith(`${option}=`)) {
      return { option, value: arg.slice(option.length + 1), next: i + 1 };
    }
  }
  return undefined;
}

function requirement(raw: string): PackageRef | ParseResult {
  const ref = parsePythonRequirement(raw);
  if (ref === "not-registry") {
    return unsupported(
      "NOT_A_REGISTRY_PACKAGE",
      `${JSON.stringify(raw)} is not a package index requirement (a path, URL or VCS spec)`,
    );
  }
  return ref;
}

/** Parses the arguments after `uvx` / `uv tool run` / `pipx run`. */
export function parsePythonRunner(
  runner: "uvx" | "uv tool run" | "pipx run",
  args: readonly string[],
): ParseResult {
  const grammar = runner === "pipx run" ? PIPX : UV;
  let from: string | undefined;
  let python: string | undefined;
  const withs: string[] = [];
  let i = 0;
  while (i < args.length) {
    const arg = args[i] ?? "";
    if (arg === "--") {
      i++;
      break;
    }
    if (!arg.startsWith("-")) break;
    if (grammar.flags.includes(arg)) {
      i++;
      continue;
    }
    const taken =
      takeValue(args, i, grammar.from) ??
      takeValue(args, i, grammar.with) ??
      takeValue(args, i, grammar.python) ??
      takeValue(args, i, grammar.ignoredWithValue);
    if (taken === undefined)
      return unsupported(
        "UNSUPPORTED_FORM",
        `\`${runner}\` option ${arg} is not one the prepare builder knows`,
      );
    if (taken.value === undefined)
      return unsupported("MISSING_PACKAGE", `\`${runner} ${taken.option}\` has no value`);
    if (grammar.from.includes(taken.option)) from = taken.value;
    else if (grammar.with.includes(taken.option)) withs.push(taken.value);
    else if (grammar.python.includes(taken.option)) python = taken.value;
    i = taken.next;
  }
  const first = args[i];
  if (first === undefined) return unsupported("MISSING_PACKAGE", `\`${runner}\` names no package to run`);
  const primary = requirement(from ?? first);
  if ("ok" in primary) return primary;
  const extra: PackageRef[] = [];
  for (const raw of withs) {
    const ref = requirement(raw);
    if ("ok" in ref) return ref;
    extra.push(ref);
  }
  const bin = from === undefined ? undefined : first;
  const spec: PackageSpec = {
    ecosystem: "python",
    runner,
    package: primary,
    extra,
    bin,
    args: args.slice(i + 1),
    python,
  };
  return { ok: true, spec };
}

const PIP_FLAGS = [
  "-q",
  "--quiet",
  "--no-cache-dir",
  "-U",
  "--upgrade",
  "--user",
  "--disable-pip-version-check",
  "--no-input",
];

function pipInstallWords(words: readonly string[]): number | undefined {
  if ((words[0] === "pip" || words[0] === "pip3") && words[1] === "install") return 2;
  if (
    (words[0] === "python" || words[0] === "python3") &&
    words[1] === "-m" &&
    words[2] === "pip" &&
    words[3] === "install"
  )
    return 4;
  return undefined;
}

/**
 * `sh -c "pip install mcp-server-x && mcp-server-x --flag"`: a pip-installed
 * entry point, started by a shell script. Only the plain form is understood.
 */
export function parsePipScript(script: string): ParseResult {
  const runner: RunnerName = "pip install";
  const tokens = splitSimpleScript(script);
  const notPlain = unsupported(
    "UNSUPPORTED_FORM",
    "the shell script is not a plain `pip install PKG… && ENTRY ARGS…`",
  );
  if (tokens === undefined) return notPlain;
  const split = tokens.findIndex((token) => "operator" in token);
  const operator = tokens[split];
  if (split < 0 || operator === undefined || !("operator" in operator) || operator.operator !== "&&")
    return notPlain;
  const install = tokens.slice(0, split).map((token) => ("word" in token ? token.word : ""));
  const rest = tokens.slice(split + 1);
  if (rest.some((token) => "operator" in token)) return notPlain;
  const run = rest.map((token) => ("word" in token ? token.word : ""));
  if (run[0] === "exec") run.shift();
  const start = pipInstallWords(install);
  const entry = run[0];
  if (start === undefined || entry === undefined) return notPlain;
  const refs: PackageRef[] = [];
  for (const word of install.slice(start)) {
    if (word.startsWith("-")) {
      if (PIP_FLAGS.includes(word)) continue;
      return unsupported("UNSUPPORTED_FORM", `pip option ${word} is not one the prepare builder knows`);
    }
    const ref = requirement(word);
    if ("ok" in ref) return ref;
    refs.push(ref);
  }
  const [primary, ...extra] = refs;
  if (primary === undefined) return unsupported("MISSING_PACKAGE", "`pip install` names no package");
  return {
    ok: true,
    spec: { ecosystem: "python", runner, package: primary, extra, bin: entry, args: run.slice(1) },
  };
}
