/**
 * The curl examples of Markdown documents, as a reader would copy them: every command starting with `curl` in a
 * fenced `sh`/`bash`/`shell` block, with `\` continuations and quoted bodies spanning lines joined. A comment
 * that starts with `{` or `[`, at the end of the command's last line or on the line right after it, is the
 * documented answer. `<!-- not-run: reason -->` on the line before a fence (blank lines aside) marks every curl
 * of that block as not runnable against a bare service.
 */
export interface MarkdownCurl {
  /** Where it is, e.g. `apps/datastorage/README.md:29`. */
  readonly where: string;
  /** The command, continuation lines joined, without the trailing comment. */
  readonly command: string;
  /** The documented answer, e.g. `{"inserted":1,"duplicates":0,"event_ids":["…"]}`. */
  readonly documented?: string;
  /** Why it is not run, when the block is marked `not-run`. */
  readonly notRun?: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;
const SHELL = new Set(["sh", "bash", "shell"]);
const NOT_RUN = /^\s*<!--\s*not-run:\s*(.*?)\s*-->\s*$/;

export function extractCurls(markdown: string, file: string): MarkdownCurl[] {
  const lines = markdown.split("\n");
  const curls: MarkdownCurl[] = [];
  let notRun: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const marker = NOT_RUN.exec(line);
    if (marker) {
      notRun = marker[1] || "no reason given";
      continue;
    }
    const fence = FENCE.exec(line);
    if (!fence) {
      if (line.trim() !== "") notRun = undefined;
      continue;
    }
    const close = fence[2] ?? "```";
    const end = lines.findIndex((l, j) => j > i && l.trim().startsWith(close));
    const body = lines.slice(i + 1, end === -1 ? lines.length : end);
    if (SHELL.has(fence[3] ?? "")) {
      for (const curl of curlsOfBlock(body, i + 2)) {
        curls.push({
          where: `${file}:${curl.line}`,
          command: curl.command,
          ...documented(curl),
          ...(notRun ? { notRun } : {}),
        });
      }
    }
    notRun = undefined;
    i = end === -1 ? lines.length : end;
  }
  return curls;
}

interface BlockCurl {
  line: number;
  command: string;
  comment?: string;
}

function documented(curl: BlockCurl): { documented?: string } {
  const comment = curl.comment?.trim();
  return comment && /^[{[]/.test(comment) ? { documented: comment } : {};
}

/** The curl commands of one block's lines; `firstLine` is the file's line number of `body[0]`. */
function curlsOfBlock(body: string[], firstLine: number): BlockCurl[] {
  const found: BlockCurl[] = [];
  for (let i = 0; i < body.length; i++) {
    if (!/^\s*curl\s/.test(body[i] ?? "")) continue;
    const start = i;
    let text = "";
    let quote: "'" | '"' | undefined;
    let comment: string | undefined;
    for (; i < body.length; i++) {
      const scanned = scan(body[i] ?? "", quote);
      quote = scanned.quote;
      if (quote) {
        text += `${scanned.code}\n`;
        continue;
      }
      if (scanned.code.trimEnd().endsWith("\\")) {
        text += `${scanned.code.trimEnd().slice(0, -1)} `;
        continue;
      }
      text += scanned.code;
      comment = scanned.comment;
      break;
    }
    if (quote)
      throw new Error(`line ${firstLine + start}: the curl command's ${quote} quote is never closed`);
    const next = body[i + 1]?.trim();
    if (comment === undefined && next?.startsWith("#")) comment = next.slice(1);
    found.push({
      line: firstLine + start,
      command: text.trim(),
      ...(comment === undefined ? {} : { comment }),
    });
  }
  return found;
}

/** Splits a line, read with `quote` still open from the line before, into its code and its trailing comment. */
function scan(
  line: string,
  quote: "'" | '"' | undefined,
): { code: string; comment?: string; quote: "'" | '"' | undefined } {
  let open = quote;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (open) {
      if (c === "\\" && open === '"') i++;
      else if (c === open) open = undefined;
    } else if (c === "\\") {
      i++;
    } else if (c === "'" || c === '"') {
      open = c;
    } else if (c === "#" && (i === 0 || /\s/.test(line[i - 1] ?? ""))) {
      return { code: line.slice(0, i).trimEnd(), comment: line.slice(i + 1), quote: undefined };
    }
  }
  return { code: line, quote: open };
}

/**
 * Whether `actual` has the shape `documented` shows: the same keys, the same scalars, arrays of the same length;
 * `"…"` stands for any value, and a string ending in `…` for any string it starts. Answers the first difference
 * (a path and what differs), or undefined when they match.
 */
export function shapeDifference(documented: unknown, actual: unknown, path = "$"): string | undefined {
  if (documented === "…") return undefined;
  if (typeof documented === "string" && documented.endsWith("…")) {
    const prefix = documented.slice(0, -1);
    return typeof actual === "string" && actual.startsWith(prefix)
      ? undefined
      : `${path}: expected a string starting ${JSON.stringify(prefix)}, got ${JSON.stringify(actual)}`;
  }
  if (Array.isArray(documented)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${JSON.stringify(actual)}`;
    if (actual.length !== documented.length) {
      return `${path}: expected ${documented.length} items, got ${actual.length}`;
    }
    for (const [i, item] of documented.entries()) {
      const difference = shapeDifference(item, actual[i], `${path}[${i}]`);
      if (difference) return difference;
    }
    return undefined;
  }
  if (documented !== null && typeof documented === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
      return `${path}: expected an object, got ${JSON.stringify(actual)}`;
    }
    const expectedKeys = Object.keys(documented).sort();
    const actualKeys = Object.keys(actual).sort();
    if (expectedKeys.join() !== actualKeys.join()) {
      return `${path}: expected keys ${expectedKeys.join(", ")}, got ${actualKeys.join(", ")}`;
    }
    for (const key of expectedKeys) {
      const difference = shapeDifference(
        (documented as Record<string, unknown>)[key],
        (actual as Record<string, unknown>)[key],
        `${path}.${key}`,
      );
      if (difference) return difference;
    }
    return undefined;
  }
  return Object.is(documented, actual)
    ? undefined
    : `${path}: expected ${JSON.stringify(documented)}, got ${JSON.stringify(actual)}`;
}
