// Secrets in a `docker run` argv: env values (`-e KEY=value`), values of
// options whose name looks secret (`--api-key=x`), and known secret strings.
import { scanFlags } from "./flags.ts";

/** What is shown instead of a secret value. */
export const MASK = "***";

const SECRET_NAME = /(token|secret|passw(or)?d|api[-_]?key|auth|credential|private[-_]?key)/i;
/** Secret strings shorter than this are not replaced: "1" or "on" would mask half the line. */
const MIN_SECRET_LENGTH = 4;

/** Returns the replacement for one env entry (`inlineValue` undefined for a bare `-e KEY`), or undefined to keep it. */
export type EnvRewrite = (key: string, inlineValue: string | undefined) => string | undefined;

/** Where the docker options start: after `run` / `container run` / `create`, after a leading `docker`. */
function optionsStart(argv: readonly string[]): number {
  let index = /(^|[/\\])(docker|podman|nerdctl)(\.exe)?$/i.test(argv[0] ?? "") ? 1 : 0;
  if (argv[index] === "container") index += 1;
  if (argv[index] === "run" || argv[index] === "create") index += 1;
  return index;
}

/** argv with each `-e`/`--env` entry among the docker options replaced by `rewrite` (undefined: unchanged). */
export function rewriteEnvValues(argv: readonly string[], rewrite: EnvRewrite): string[] {
  const out = [...argv];
  const { flags } = scanFlags(argv, optionsStart(argv));
  for (const flag of flags) {
    if (flag.name !== "env" || flag.value === undefined || flag.valueAt === undefined) continue;
    const equals = flag.value.indexOf("=");
    const replacement =
      equals >= 0
        ? rewrite(flag.value.slice(0, equals), flag.value.slice(equals + 1))
        : rewrite(flag.value, undefined);
    if (replacement === undefined) continue;
    const token = out[flag.valueAt.index] ?? "";
    out[flag.valueAt.index] = token.slice(0, flag.valueAt.offset) + replacement;
  }
  return out;
}

function maskSecretOptions(argv: readonly string[]): string[] {
  const out: string[] = [];
  let maskNext = false;
  for (const arg of argv) {
    if (maskNext) {
      out.push(MASK);
      maskNext = false;
      continue;
    }
    const equals = arg.indexOf("=");
    const isOption = /^--?[A-Za-z][\w-]*(?:=|$)/.test(arg);
    if (isOption && equals < 0 && SECRET_NAME.test(arg)) maskNext = true;
    if (isOption && equals >= 0 && SECRET_NAME.test(arg.slice(0, equals)))
      out.push(`${arg.slice(0, equals)}=${MASK}`);
    else out.push(arg);
  }
  return out;
}

/**
 * A copy of a docker argv that is safe to log: `-e KEY=value` becomes `-e KEY=***`
 * (bare `-e KEY` carries no value and stays), values of options whose name looks
 * secret (`--token x`, `--api-key=x`, also in the server's own args) and every
 * given secret string (≥ 4 characters) become `***`.
 */
export function maskDockerArgv(argv: readonly string[], secrets: readonly string[] = []): string[] {
  const envMasked = rewriteEnvValues(argv, (key, inlineValue) =>
    inlineValue === undefined ? undefined : `${key}=${MASK}`,
  );
  const secretValues = secrets.filter((value) => value.length >= MIN_SECRET_LENGTH);
  return maskSecretOptions(envMasked).map((arg) =>
    secretValues.reduce((masked, secret) => masked.split(secret).join(MASK), arg),
  );
}
