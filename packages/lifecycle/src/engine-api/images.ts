// Whether an image is in the engine's local store (GET /images/{name}/json); never pulls.
import type { EngineClient } from "./client.ts";
import { EngineApiError } from "./errors.ts";

export async function imagePresentApi(
  client: EngineClient,
  image: string,
  options: { timeoutMs?: number | undefined; signal?: AbortSignal | undefined } = {},
): Promise<boolean> {
  try {
    await client.request("GET", `/images/${encodeURIComponent(image)}/json`, options);
    return true;
  } catch (error) {
    if (error instanceof EngineApiError && error.code === "NOT_FOUND") return false;
    throw error;
  }
}
