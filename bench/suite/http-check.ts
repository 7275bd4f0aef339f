/** One-off requests from the benchmark process itself (checks, not measurements). */
import { request } from "undici";

export async function getJson(
  url: string,
  token: string,
): Promise<{ status: number; body: unknown }> {
  const response = await request(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.body.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.statusCode, body };
}

/** The ids of a `{ data: [{ id }] }` page, and whether it has a next cursor. */
export function pageIds(body: unknown): { ids: string[]; hasNext: boolean } {
  const page = body as { data?: { id?: string }[]; nextCursor?: string | null };
  return {
    ids: (page.data ?? []).map((row) => String(row.id)),
    hasNext: typeof page.nextCursor === "string",
  };
}
