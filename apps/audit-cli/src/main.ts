import { createWriteStream } from "node:fs";
import { access, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { generateSignerKey, type NoteVerifier, parseVerifierKey } from "@kubernaut/tlog";
import { isTar, verifyBundleFile } from "./bundle-file.js";
import { loadCheckpoints } from "./checkpoints.js";
import { verifyExportFile } from "./export-file.js";
import { HttpSource, problemDetail } from "./http-source.js";
import { type Scope, SourceError } from "./source.js";
import { type Reporter, verifyAuditTrail } from "./verify.js";

export const USAGE = `usage:
  kubernaut-audit verify --key KEY --url URL [--checkpoints PATH]... (--correlation-id ID | --fingerprint FP | --all)
  kubernaut-audit verify --key KEY --export FILE [--checkpoints PATH]... [--url URL]
  kubernaut-audit export --url URL --out FILE (--correlation-id ID | --fingerprint FP | --from TIME --to TIME)
                         [--redact FIELD,…] [--format ndjson|bundle]
  kubernaut-audit keygen --origin NAME --out FILE

verify   checks the audit trail of a Kubernaut storage service, or an export of it, trusting neither:
  --key KEY            the log's verifier key (origin+keyid+base64), or a file holding it
  --url URL            the storage service, e.g. http://127.0.0.1:8085 (token: KUBERNAUT_AUDIT_TOKEN or --token)
  --export FILE        an export or a bundle (kubernaut-audit export, or GET /api/v1/audit/export): checked offline; with --url,
                       also its consistency with the checkpoints given
  --checkpoints PATH   a checkpoint, or a directory of them, published outside the database (repeatable)
  --correlation-id ID  verify one remediation's records (its name)
  --fingerprint FP     verify one alert's records
  --all                verify every record (rebuilds the whole tree)
  exit 0: verified; 1: something failed (each failure on a line starting FAIL); 2: bad arguments or unreachable source

export   saves a verified export (each record with its inclusion proof, the checkpoint, a signed manifest) to FILE,
         with progress on standard error; --from/--to (RFC 3339) select records by when they occurred;
         --redact payload.failure_reason,… replaces those fields by their HMAC (the records still verify);
         --format bundle saves a tar of the NDJSON export, the same records as CSV and Parquet, and a signed
         manifest of the three files (verify --export checks a bundle too)

keygen   writes a new Ed25519 checkpoint signing key (mode 0600) for CHECKPOINT_SIGNING_KEY_FILE and prints its
         verifier key, the one to give reviewers`;

/** A wrong command line: the message and the usage, exit 2. */
class UsageError extends Error {}

export interface Io {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
}

/** The verifier key itself, or the file that holds it. */
async function readKey(value: string): Promise<NoteVerifier> {
  const text = await readFile(value, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT" && value.includes("+")) return value;
    throw new UsageError(`--key: ${value} is neither a verifier key nor a readable file (${err.message})`);
  });
  return parseVerifierKey(text.trim());
}

async function verify(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      key: { type: "string" },
      url: { type: "string" },
      token: { type: "string" },
      checkpoints: { type: "string", multiple: true },
      "correlation-id": { type: "string" },
      fingerprint: { type: "string" },
      all: { type: "boolean", default: false },
      export: { type: "string" },
    },
  });
  if (values.key === undefined) throw new UsageError("--key is required");
  if (values.export !== undefined) return verifyExport(values.export, { ...values, key: values.key }, io);
  if (values.url === undefined) throw new UsageError("--url (or --export) is required");
  const scopes = [values["correlation-id"], values.fingerprint, values.all ? true : undefined].filter(
    (v) => v !== undefined,
  );
  if (scopes.length !== 1)
    throw new UsageError("give exactly one of --correlation-id, --fingerprint and --all");
  const scope: Scope =
    values["correlation-id"] !== undefined
      ? { correlationId: values["correlation-id"] }
      : values.fingerprint !== undefined
        ? { fingerprint: values.fingerprint }
        : { all: true };
  const { verifier, trusted, report, verdict } = await start(values.key, values.checkpoints, io);
  const source = new HttpSource(values.url, values.token ?? io.env.KUBERNAUT_AUDIT_TOKEN);
  return verdict(await verifyAuditTrail({ verifier, trusted, source, scope }, report));
}

/** The key and the checkpoints held, opened and reported; `verdict` prints the outcome and answers the exit code. */
async function start(key: string, checkpoints: string[] | undefined, io: Io) {
  const verifier = await readKey(key);
  const { trusted, rejected } = await loadCheckpoints(checkpoints ?? [], verifier);
  let failed = false;
  const report: Reporter = {
    ok: (line) => io.out(`ok    ${line}`),
    note: (line) => io.out(`note  ${line}`),
    fail: (line) => {
      failed = true;
      io.out(`FAIL  ${line}`);
    },
  };
  for (const bad of rejected) report.fail(`forged checkpoint: ${bad.from}: ${bad.reason}`);
  for (const checkpoint of trusted)
    report.ok(`${checkpoint.from}: ${checkpoint.size} leaves, signed by ${verifier.name}`);
  const verdict = (verified: boolean): number => {
    if (verified && !failed) {
      io.out("verified");
      return 0;
    }
    io.out("NOT verified");
    return 1;
  };
  return { verifier, trusted, report, verdict };
}

async function verifyExport(
  path: string,
  values: {
    key: string;
    url?: string | undefined;
    token?: string | undefined;
    checkpoints?: string[] | undefined;
    "correlation-id"?: string | undefined;
    fingerprint?: string | undefined;
    all?: boolean | undefined;
  },
  io: Io,
): Promise<number> {
  if (values["correlation-id"] !== undefined || values.fingerprint !== undefined || values.all)
    throw new UsageError(
      "--export verifies the export's own records: leave out --correlation-id, --fingerprint and --all",
    );
  await access(path).catch((err: Error) => {
    throw new UsageError(`--export: cannot read ${path} (${err.message})`);
  });
  if ((await stat(path)).isDirectory())
    throw new UsageError(`--export: ${path} is a directory, not an export file`);
  const { verifier, trusted, report, verdict } = await start(values.key, values.checkpoints, io);
  const source =
    values.url === undefined
      ? undefined
      : new HttpSource(values.url, values.token ?? io.env.KUBERNAUT_AUDIT_TOKEN);
  const verifyFile = (await isTar(path)) ? verifyBundleFile : verifyExportFile;
  const verified = await verifyFile(
    {
      path,
      verifier,
      trusted,
      ...(source
        ? { consistencyProof: (from: number, to: number) => source.consistencyProof(from, to) }
        : {}),
    },
    report,
  );
  return verdict(verified);
}

/** Saves `GET /api/v1/audit/export` to a file (renamed into place once complete), reporting progress each second. */
async function exportCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: "string" },
      token: { type: "string" },
      out: { type: "string" },
      "correlation-id": { type: "string" },
      fingerprint: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      redact: { type: "string" },
      format: { type: "string" },
    },
  });
  if (values.url === undefined) throw new UsageError("--url is required");
  if (values.out === undefined) throw new UsageError("--out is required");
  const range = values.from !== undefined || values.to !== undefined;
  const scopes = [values["correlation-id"], values.fingerprint, range ? true : undefined];
  if (scopes.filter((v) => v !== undefined).length !== 1)
    throw new UsageError(
      "give exactly one of --correlation-id, --fingerprint and a time range (--from/--to)",
    );
  const out = values.out;
  if (
    await access(out).then(
      () => true,
      () => false,
    )
  )
    throw new UsageError(`--out: ${out} already exists; an export never overwrites a file`);
  const query = new URLSearchParams();
  if (values["correlation-id"] !== undefined) query.set("correlation_id", values["correlation-id"]);
  if (values.fingerprint !== undefined) query.set("fingerprint", values.fingerprint);
  if (values.from !== undefined) query.set("from", values.from);
  if (values.to !== undefined) query.set("to", values.to);
  if (values.redact !== undefined) query.set("redact", values.redact);
  if (values.format !== undefined) {
    if (values.format !== "ndjson" && values.format !== "bundle")
      throw new UsageError(`--format: expected ndjson or bundle, not ${JSON.stringify(values.format)}`);
    query.set("format", values.format);
  }
  const url = new URL(`/api/v1/audit/export?${query}`, values.url);
  const token = values.token ?? io.env.KUBERNAUT_AUDIT_TOKEN;
  let res: Response;
  try {
    res = await fetch(url, {
      headers: {
        accept: values.format === "bundle" ? "application/x-tar" : "application/x-ndjson",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
  } catch (err) {
    throw new SourceError(`${url.href}: ${(err as Error).message}`);
  }
  if (!res.ok || res.body === null) {
    throw new SourceError(`${url.pathname}${url.search}: ${res.status} ${problemDetail(await res.text())}`);
  }
  const partial = `${values.out}.partial`;
  let lines = 0;
  let bytes = 0;
  const megabytes = () => `${(bytes / 1_048_576).toFixed(1)} MB`;
  // A bundle is written whole before it is sent: only its bytes can be counted.
  const progress = () =>
    values.format === "bundle" ? megabytes() : `${Math.max(lines - 1, 0)} records, ${megabytes()}`;
  const timer = setInterval(() => io.err(`exporting: ${progress()}`), 1000);
  try {
    await pipeline(
      Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>),
      async function* count(chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
          yield chunk;
        }
      },
      createWriteStream(partial, { flags: "wx" }),
    );
  } catch (err) {
    await rm(partial, { force: true });
    throw new SourceError(`the export stopped: ${(err as Error).message}`);
  } finally {
    clearInterval(timer);
  }
  await rename(partial, values.out);
  io.err(`wrote ${values.out}: ${progress()}`);
  io.err(`verify it with: kubernaut-audit verify --export ${values.out} --key KEY [--checkpoints DIR]`);
  return 0;
}

async function keygen(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { origin: { type: "string" }, out: { type: "string" } },
  });
  if (values.origin === undefined || values.out === undefined)
    throw new UsageError("--origin and --out are required");
  const { signerKey, verifierKey } = generateSignerKey(values.origin);
  await writeFile(values.out, `${signerKey}\n`, { mode: 0o600, flag: "wx" });
  io.out(verifierKey);
  return 0;
}

/** Runs one command; answers the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === "--help" || command === "-h" || command === "help" || rest.includes("--help")) {
      io.out(USAGE);
      return 0;
    }
    if (command === "verify") return await verify(rest, io);
    if (command === "keygen") return await keygen(rest, io);
    if (command === "export") return await exportCommand(rest, io);
    throw new UsageError(command === undefined ? "no command given" : `unknown command ${command}`);
  } catch (err) {
    if (err instanceof SourceError) {
      io.err(`kubernaut-audit: cannot read the log: ${err.message}`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.err(`kubernaut-audit: ${message}`);
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS"))
      io.err(USAGE);
    return 2;
  }
}
