// The ```ts / ```typescript code blocks of a Markdown document, in order.
export function readmeSnippets(markdown: string): string[] {
  const blocks: string[] = [];
  const fence = /^```(?:ts|typescript)[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (const match of markdown.matchAll(fence)) blocks.push(match[1] ?? "");
  return blocks;
}
