// esbuild plugin: docker-modem's ssh transport (lib/ssh.js, which loads ssh2) is
// left out of the `mcpproxy` bundle. Lifecycle never hands docker-modem an ssh://
// endpoint: those take the docker CLI path (lifecycle's engine-api/connection.ts),
// yet docker-modem requires ssh2 when it loads: ~400 KB to parse and crypto
// self-tests to run, on the path of the first isolated start.
import type { Plugin } from "esbuild";

/** docker-modem's `require("./ssh")`: a transport that refuses, naming the path ssh:// engines take. */
const SSH_REFUSED = [
  "module.exports = function ssh() {",
  '  throw new Error("ssh:// Docker endpoints are reached through the docker CLI, not the bundled Engine API client");',
  "};",
].join("\n");

export const dockerModemWithoutSsh: Plugin = {
  name: "docker-modem-without-ssh",
  setup(bundle) {
    bundle.onResolve({ filter: /^\.\/ssh(\.js)?$/ }, (args) =>
      /[\\/]docker-modem[\\/]lib$/.test(args.resolveDir)
        ? { path: "ssh", namespace: "docker-modem-no-ssh" }
        : undefined,
    );
    bundle.onLoad({ filter: /.*/, namespace: "docker-modem-no-ssh" }, () => ({
      contents: SSH_REFUSED,
      loader: "js",
    }));
  },
};
