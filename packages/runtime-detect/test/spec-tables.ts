// Fixtures copied from the spec docs, shared by the test files.

// The spec's `default_images` block, verbatim (docker-isolation-overview.md).
export const SPEC_DEFAULT_IMAGES: Record<string, string> = {
  python: "python:3.11",
  python3: "python:3.11",
  uvx: "python:3.11",
  pip: "python:3.11",
  pipx: "python:3.11",
  node: "node:20",
  npm: "node:20",
  npx: "node:20",
  yarn: "node:20",
  go: "golang:1.21-alpine",
  cargo: "rust:1.75-slim",
  rustc: "rust:1.75-slim",
  ruby: "ruby:3.2-alpine",
  gem: "ruby:3.2-alpine",
  php: "php:8.2-cli-alpine",
  composer: "php:8.2-cli-alpine",
  binary: "alpine:3.18",
  sh: "alpine:3.18",
  bash: "alpine:3.18",
};
