// Mount specs as `docker run` reads them: `-v [source:]target[:mode]`
// (a Windows source keeps its drive colon), `--mount key=value,...`, `--tmpfs path[:opts]`.

export interface VolumeSpec {
  /** Host path (bind) or volume name; undefined for an anonymous volume (`-v /data`). */
  source: string | undefined;
  /** Path inside the container; undefined only for an empty spec. */
  target: string | undefined;
  /** The mode field (`ro`, `rw,z`, ...), when given. */
  mode: string | undefined;
  /** Fields after the mode: Docker rejects a spec that has any. */
  extra: string[];
}

const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;

/** True for a host path Docker binds (absolute, or a Windows drive path); other sources are volume names. */
export function isHostPath(source: string): boolean {
  return source.startsWith("/") || WINDOWS_DRIVE.test(source);
}

/** Splits a `-v` spec: `host:container[:mode]`, `C:\host:/container[:mode]`, `name:/container`, or just `/container`. */
export function parseVolumeSpec(spec: string): VolumeSpec {
  const drive = WINDOWS_DRIVE.test(spec) ? spec.slice(0, 2) : "";
  const parts = spec.slice(drive.length).split(":");
  if (parts.length === 1 && drive === "")
    return { source: undefined, target: spec, mode: undefined, extra: [] };
  const [first = "", target, mode, ...extra] = parts;
  return { source: drive + first, target, mode, extra };
}

/** The options of a volume mode field (`ro,z` → ["ro", "z"]). */
export function volumeModeOptions(spec: VolumeSpec): string[] {
  return spec.mode === undefined || spec.mode === "" ? [] : spec.mode.split(",");
}

/** True when a `-v` spec's mode makes it read-only. */
export function isReadOnlyVolume(spec: VolumeSpec): boolean {
  return volumeModeOptions(spec).includes("ro");
}

export interface MountFlagSpec {
  /** `bind`, `volume`, `tmpfs`, ... (Docker's default is `volume`). */
  type: string;
  source: string | undefined;
  target: string | undefined;
  readOnly: boolean;
  /** Every `key=value` field, keys lower-cased (`readonly` alone reads as `readonly=true`). */
  fields: Map<string, string>;
}

const TRUE_WORDS = new Set(["", "1", "true"]);

/** Reads a `--mount type=bind,source=/x,target=/y[,readonly]` spec. */
export function parseMountSpec(spec: string): MountFlagSpec {
  const fields = new Map<string, string>();
  for (const part of spec.split(",")) {
    const equals = part.indexOf("=");
    const key = (equals < 0 ? part : part.slice(0, equals)).trim().toLowerCase();
    if (key !== "") fields.set(key, equals < 0 ? "" : part.slice(equals + 1).trim());
  }
  const readOnlyText = fields.get("readonly") ?? fields.get("ro");
  return {
    type: fields.get("type") ?? "volume",
    source: fields.get("source") ?? fields.get("src"),
    target: fields.get("target") ?? fields.get("destination") ?? fields.get("dst"),
    readOnly: readOnlyText !== undefined && TRUE_WORDS.has(readOnlyText.toLowerCase()),
    fields,
  };
}

/** Splits a `--tmpfs /path[:opts]` spec. */
export function parseTmpfsSpec(spec: string): { target: string; options: string } {
  const colon = spec.indexOf(":");
  return colon < 0
    ? { target: spec, options: "" }
    : { target: spec.slice(0, colon), options: spec.slice(colon + 1) };
}
