// Detection rate on published attacks and false positives on real servers' tool lists.
// The README's table is checked against these numbers, so it cannot drift from them.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import {
  approveDefinitions,
  blocksAutoApproval,
  evaluateServerTools,
  scanPrompt,
  scanResource,
  scanTool,
} from "../../src/index.ts";
import { loadNegativeSet } from "../fixtures/negative-set.ts";
import { POISONED } from "../fixtures/poisoned.ts";

const negative = loadNegativeSet();
const percent = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(1)}%`;

function measure(): {
  detected: string[];
  missed: string[];
  blocked: string[];
  flagged: string[];
  tools: number;
} {
  const detected: string[] = [];
  const missed: string[] = [];
  for (const fixture of POISONED) {
    const findings = scanTool(fixture.tool, { otherServersTools: fixture.otherServersTools ?? [] });
    (blocksAutoApproval(findings) ? detected : missed).push(fixture.id);
  }
  const blocked: string[] = [];
  const flagged: string[] = [];
  let tools = 0;
  for (const server of negative) {
    // Every other captured server is "present in the same client": the shadowing check is live.
    const otherServersTools = negative
      .filter((other) => other !== server)
      .flatMap((other) => other.tools.map((tool) => ({ server: other.package, name: tool.name })));
    for (const tool of server.tools) {
      tools += 1;
      const findings = scanTool(tool, { otherServersTools });
      const id = `${server.package}@${server.version} ${tool.name}`;
      if (blocksAutoApproval(findings)) blocked.push(id);
      if (findings.length > 0) flagged.push(`${id}: ${findings.map((finding) => finding.code).join(", ")}`);
    }
  }
  return { detected, missed, blocked, flagged, tools };
}

/** Prompts and resources of the captured servers: blocked and flagged ones, and how many. */
function measureOthers(): { blocked: string[]; flagged: string[]; count: number } {
  const blocked: string[] = [];
  const flagged: string[] = [];
  let count = 0;
  for (const server of negative) {
    const scanned = [
      ...server.prompts.map((prompt) => [`prompt ${prompt.name}`, scanPrompt(prompt)] as const),
      ...server.resources.map((resource) => [`resource ${resource.name}`, scanResource(resource)] as const),
    ];
    for (const [what, findings] of scanned) {
      count += 1;
      if (blocksAutoApproval(findings)) blocked.push(`${server.package} ${what}`);
      if (findings.length > 0) flagged.push(`${server.package} ${what}`);
    }
  }
  return { blocked, flagged, count };
}

describe("scanner corpus", () => {
  const result = measure();
  const others = measureOthers();

  test("every published attack is blocked from auto-approval", () => {
    expect(result.missed).toEqual([]);
  });

  test("no tool, prompt or resource of a published server is blocked", () => {
    expect(result.blocked).toEqual([]);
    expect(result.tools).toBeGreaterThanOrEqual(150);
    expect(others.blocked).toEqual([]);
    expect(others.count).toBeGreaterThanOrEqual(15);
  });

  test("the README reports exactly these numbers", () => {
    const { detected, blocked, flagged, tools } = result;
    const table = [
      "| set | size | blocked (high) | any finding |",
      "| --- | --- | --- | --- |",
      `| published attacks (test/fixtures/poisoned.ts) | ${POISONED.length} tools | ${detected.length} (${percent(detected.length, POISONED.length)}) | ${detected.length} |`,
      `| published servers (test/fixtures/negative, ${negative.length} packages) | ${tools} tools | ${blocked.length} (${percent(blocked.length, tools)}) | ${flagged.length} (${percent(flagged.length, tools)}) |`,
      `| their prompts and resources | ${others.count} | ${others.blocked.length} (${percent(others.blocked.length, others.count)}) | ${others.flagged.length} (${percent(others.flagged.length, others.count)}) |`,
    ].join("\n");
    // Prettier pads table cells; compare with the padding taken out.
    const unpad = (text: string): string => text.replace(/ *\| */g, "|").replace(/\|-+/g, "|-");
    const readme = readFileSync(path.join(import.meta.dirname, "../../README.md"), "utf8");
    const why = `README.md must contain:\n${table}\nlow/medium findings: ${flagged.join("; ")}`;
    expect(unpad(readme), why).toContain(unpad(table));
  });

  test("the WhatsApp sleeper rug pull is withheld with a diff after the benign version was pinned", () => {
    const sleeper = POISONED.find((fixture) => fixture.id === "invariant-whatsapp-takeover");
    if (sleeper === undefined) throw new Error("fixture invariant-whatsapp-takeover is missing");
    const benign = { ...sleeper.tool, description: "Get a random fact of the day." };
    const result = evaluateServerTools({
      server: "facts",
      trust: "trusted",
      baseline: approveDefinitions("tool", [benign]),
      definitions: [sleeper.tool],
      otherServersTools: sleeper.otherServersTools ?? [],
    });
    expect(result.offered).toEqual([]);
    expect(result.withheld[0]).toMatchObject({ key: "get_fact_of_the_day", reason: "poisoned" });
    expect(result.withheld[0]?.diff?.changes.map((change) => change.path)).toEqual(["description"]);
  });
});
