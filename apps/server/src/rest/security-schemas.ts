// Bodies of the security routes (review, approve, quarantine, activity log).
// The Check* types make the compiler prove the schemas match what the server builds.
import { z } from "@hono/zod-openapi";
import type { ActivityEntry } from "@mcpproxy/security";
import type { ServerReview } from "../security/review.ts";

const Finding = z.object({
  code: z.string().openapi({ example: "hidden-instruction-block" }),
  severity: z.enum(["low", "medium", "high"]),
  message: z.string(),
  span: z.object({ field: z.string(), start: z.number().int(), end: z.number().int(), excerpt: z.string() }),
});

const ReviewedTool = z.object({
  name: z.string(),
  status: z.enum(["offered", "withheld"]),
  reason: z.enum(["new", "changed", "quarantined", "poisoned"]).nullable(),
  kind: z.enum(["read-only", "write", "destructive", "unknown"]),
  description: z.string().nullable(),
  inputSchema: z.record(z.string(), z.unknown()).nullable(),
  outputSchema: z.record(z.string(), z.unknown()).nullable(),
  annotations: z.record(z.string(), z.unknown()).nullable(),
  findings: z.array(Finding),
  diff: z.string().nullable().openapi({ description: "What changed since approval, word diff" }),
});

export const ServerReviewSchema = z
  .object({
    name: z.string(),
    trust: z.enum(["trusted", "quarantined"]),
    trust_changed_by: z.string(),
    trust_changed_at: z.string(),
    trust_reason: z.string().nullable(),
    pinned_at: z.string().nullable(),
    tools_listed: z.boolean(),
    offered: z.number().int(),
    withheld: z.number().int(),
    tools: z.array(ReviewedTool),
    approve_command: z.string(),
  })
  .openapi("ServerReview");

export const ApproveBody = z
  .object({
    tools: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .openapi({ description: "Approve only these tools; default: every tool the server lists now" }),
  })
  .openapi("ApproveBody");

export const QuarantineBody = z.object({ reason: z.string().max(500).optional() }).openapi("QuarantineBody");

const ActivityEntrySchema = z.object({
  id: z.number().int(),
  time: z.string(),
  session: z.string().optional(),
  server: z.string(),
  tool: z.string(),
  durationMs: z.number(),
  outcome: z.enum(["success", "error", "refused", "timeout", "cancelled"]),
  error: z.string().optional(),
  argumentBytes: z.number().int(),
  resultBytes: z.number().int(),
  argumentKeys: z.array(z.string()),
  argumentValues: z.record(z.string(), z.unknown()).optional(),
});

export const ActivityList = z.object({ entries: z.array(ActivityEntrySchema) }).openapi("ActivityList");

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export type CheckReview = Same<z.infer<typeof ServerReviewSchema>["trust"], ServerReview["trust"]>;
const _reviewFits = (review: ServerReview): z.input<typeof ServerReviewSchema> => review;
const _activityFits = (entry: ActivityEntry): z.input<typeof ActivityEntrySchema> => entry;
