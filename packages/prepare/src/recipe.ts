// Shared shapes of the build recipes (Dockerfile text + context files).
import type { PinnedPackage } from "./labels.ts";
import type { PackageSpec } from "./spec.ts";

/** The host's certificates, passed into the build stage only (never the final image). */
export interface BuildTls {
  /** PEM text of NODE_EXTRA_CA_CERTS: added to Node's built-in roots. */
  extraCaCerts?: string | undefined;
  /** PEM text of a full bundle (npm `cafile`, SSL_CERT_FILE): replaces the default roots where used. */
  caBundle?: string | undefined;
}

/** A package as resolved on the host: exact version, integrity and (npm) its bins. */
export interface ResolvedPackage extends PinnedPackage {
  /** npm `bin` map: command → path inside the package. Empty for Python (entry points). */
  bin: Readonly<Record<string, string>>;
}

export interface RecipeInput {
  /** Server name (only for messages; the tag adds it). */
  server: string;
  /** Full id (sha256:…) of the runtime image to build FROM: never a tag that could move. */
  baseImageId: string;
  spec: PackageSpec;
  /** The primary package first, then the extra ones, in spec order. */
  resolved: readonly ResolvedPackage[];
  /** Content hash (see preparedHash), recorded in a label. */
  hash: string;
  tls?: BuildTls | undefined;
}

/** What `docker build` needs: the Dockerfile and the other files of the context. */
export interface BuildRecipe {
  dockerfile: string;
  /** Context file name → text (written next to the Dockerfile). */
  files: Record<string, string>;
  labels: Record<string, string>;
  /** The image's ENTRYPOINT: runs the installed server directly (args follow at `docker run`). */
  entrypoint: string[];
  /** The package whose command runs, and the command. */
  runs: { package: PinnedPackage; bin: string };
}
