import { useState } from "preact/hooks";

/** Copies `text`; says so for screen readers too. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState<"" | "Copied" | "Copy failed">("");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone("Copied");
    } catch {
      setDone("Copy failed");
    }
    setTimeout(() => setDone(""), 2000);
  };
  return (
    <span class="copy">
      <button type="button" onClick={() => void copy()} aria-label={label}>
        Copy
      </button>
      <span role="status" class="copy-status">
        {done}
      </span>
    </span>
  );
}
