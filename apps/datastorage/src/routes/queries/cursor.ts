import { storableInstant } from "@kubernaut/schema";
import { z } from "zod";

/**
 * The position after the last item of a page: its `created_at` exactly as the database printed it
 * (microseconds kept, so no row is skipped or repeated) and its id. Opaque to clients: base64url JSON.
 */
export interface ListCursor {
  createdAt: string;
  id: string;
}

const CursorJson = z.tuple([storableInstant, z.union([z.string(), z.int()])]);

export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString("base64url");
}

/** The cursor in `text`, or `null` when it is not one this service issued for a table with such ids. */
export function decodeCursor(text: string, idSchema: z.ZodType<string>): ListCursor | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const parsed = CursorJson.safeParse(json);
  if (!parsed.success) return null;
  const [createdAt, rawId] = parsed.data;
  const id = idSchema.safeParse(String(rawId));
  return id.success ? { createdAt, id: id.data } : null;
}
