// Image references, by the grammar of github.com/distribution/reference,
// restricted to what `docker run` accepts: `[domain/]path[:tag][@digest]`.
/** The parts of an image reference. */
export interface ImageReference {
  /** Registry host (with port), when the reference names one. */
  domain?: string;
  /** Repository path, e.g. `python` or `library/python` or `mcp/fetch`. */
  path: string;
  tag?: string;
  digest?: string;
}

const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?$`,
);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const MAX_NAME_LENGTH = 255;

/** A registry host[:port] (`docker.io`, `127.0.0.1:5000`, `[::1]:5000`). */
export function isRegistryHost(text: string): boolean {
  return DOMAIN.test(text);
}

/** One `/`-separated part of a repository path: lower-case letters and digits, joined by `.`, `_`, `__` or dashes. */
export function isRepositoryComponent(text: string): boolean {
  return PATH_COMPONENT.test(text);
}

/** The first path part names a registry when it has a dot, a colon, an upper-case letter or is `localhost`. */
function looksLikeDomain(component: string): boolean {
  return (
    component.includes(".") || component.includes(":") || component === "localhost" || /[A-Z]/.test(component)
  );
}

/** Why Docker rejects a reference: the part at fault and one clause saying why. */
export interface ImageReferenceProblem {
  part: "name" | "digest" | "tag" | "domain" | "component";
  /** The offending text (the whole image for `name`). */
  text: string;
  problem: string;
}

/** The parsed reference, or why Docker would reject `image`. */
export function readImageReference(image: string): ImageReference | ImageReferenceProblem {
  const reject = (
    part: ImageReferenceProblem["part"],
    text: string,
    problem: string,
  ): ImageReferenceProblem => ({
    part,
    text,
    problem,
  });
  if (image === "") return reject("name", image, "it is empty");
  if (image.startsWith("-"))
    return reject("name", image, "it starts with '-' and would be read as a docker flag");
  if (/[\s\p{Cc}]/u.test(image)) return reject("name", image, "it contains whitespace or control characters");
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return reject("digest", digest, `"${digest}" is not a digest (algorithm:hex)`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return reject("tag", tag, `"${tag}" is not a valid tag`);
  }
  if (rest.length > MAX_NAME_LENGTH) {
    return reject("name", image, `the name is longer than ${MAX_NAME_LENGTH} characters`);
  }
  const components = rest.split("/");
  let domain: string | undefined;
  if (components.length > 1 && looksLikeDomain(components[0] ?? "")) {
    domain = components.shift() ?? "";
    if (!DOMAIN.test(domain)) return reject("domain", domain, `"${domain}" is not a registry host`);
  }
  const bad = components.find((component) => !PATH_COMPONENT.test(component));
  if (bad !== undefined) {
    return reject(
      "component",
      bad,
      `"${bad}" is not a valid repository name component (lowercase letters, digits, and . _ - between them)`,
    );
  }
  return {
    path: components.join("/"),
    ...(domain === undefined ? {} : { domain }),
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}
