// Which Node.js the installed `mcpproxy` runs on. The bundled binary is what
// `npm i -g` users start, sometimes with an older `node` first on PATH; they get
// one line (needed, found, how to get it) instead of a TypeError from an API that
// Node does not have yet. The same sentence as the repository's
// scripts/check-node.js, which guards `pnpm install` / `pnpm start` and must stay
// plain JavaScript for any Node (a test keeps the two equal).

/** The oldest Node.js major this package runs on: its package.json `engines.node` (a test keeps them equal). */
export const MIN_NODE_MAJOR = 22;

/** The line to print when `found` is older than MIN_NODE_MAJOR; undefined when it is new enough. */
export function unsupportedNode(found: string, execPath: string): string | undefined {
  if (Number(found.split(".")[0]) >= MIN_NODE_MAJOR) return undefined;
  return (
    `mcpproxy needs Node.js >=${MIN_NODE_MAJOR} but this is Node.js ${found} (${execPath}): ` +
    `install Node.js ${MIN_NODE_MAJOR} or newer (https://nodejs.org, or \`nvm install ${MIN_NODE_MAJOR}\` / ` +
    `\`fnm use ${MIN_NODE_MAJOR}\`) and run the command again.`
  );
}
