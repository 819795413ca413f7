import { readFile, stat } from "node:fs/promises";
import { StorageTokenError } from "./errors.js";

/** Supplies the bearer token for each request. */
export interface TokenSource {
  token(): Promise<string>;
  /** Called after a 401, so a rotated token is picked up by the next request. */
  invalidate?(): void;
}

export interface FileTokenOptions {
  /** How often the file's mtime is checked; a changed file is re-read. Default 10 s. */
  checkIntervalMs?: number;
  now?: () => number;
}

/**
 * A token kept in a file, such as a projected ServiceAccount token that the kubelet rotates.
 * The file is stat-ed at most every `checkIntervalMs` and re-read only when it changed; if it becomes
 * unreadable, the last good token is kept, since it is usually still valid.
 */
export class FileToken implements TokenSource {
  private readonly checkIntervalMs: number;
  private readonly now: () => number;
  private value: string | undefined;
  private version = "";
  private checkedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<string> | undefined;

  constructor(
    readonly path: string,
    options: FileTokenOptions = {},
  ) {
    this.checkIntervalMs = options.checkIntervalMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  token(): Promise<string> {
    if (this.value !== undefined && this.now() - this.checkedAt < this.checkIntervalMs) {
      return Promise.resolve(this.value);
    }
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  invalidate(): void {
    this.checkedAt = Number.NEGATIVE_INFINITY;
  }

  private async refresh(): Promise<string> {
    this.checkedAt = this.now();
    try {
      const info = await stat(this.path);
      const version = `${info.ino}:${info.mtimeMs}:${info.size}`;
      if (this.value !== undefined && version === this.version) return this.value;
      const text = (await readFile(this.path, "utf8")).trim();
      if (text === "") throw new Error("the file is empty");
      this.value = text;
      this.version = version;
      return text;
    } catch (error) {
      if (this.value !== undefined) return this.value;
      throw new StorageTokenError(`cannot read the bearer token file ${this.path}: ${messageOf(error)}`);
    }
  }
}

/** A token given once, as a string. */
export class StaticToken implements TokenSource {
  constructor(private readonly value: string) {
    if (value.trim() === "") throw new StorageTokenError("the bearer token is empty");
  }

  token(): Promise<string> {
    return Promise.resolve(this.value);
  }
}

export type TokenOption = string | { file: string; checkIntervalMs?: number } | TokenSource;

export function tokenSource(option: TokenOption): TokenSource {
  if (typeof option === "string") return new StaticToken(option);
  if ("file" in option) return new FileToken(option.file, { checkIntervalMs: option.checkIntervalMs });
  return option;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
