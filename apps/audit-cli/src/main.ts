import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { generateSignerKey, type NoteVerifier, parseVerifierKey } from "@kubernaut/tlog";
import { loadCheckpoints } from "./checkpoints.js";
import { HttpSource } from "./http-source.js";
import { type Scope, SourceError } from "./source.js";
import { type Reporter, verifyAuditTrail } from "./verify.js";

export const USAGE = `usage:
  kubernaut-audit verify --key KEY --url URL [--checkpoints PATH]... [--correlation-id ID | --fingerprint FP | --all]
  kubernaut-audit keygen --origin NAME --out FILE

verify   checks the audit trail of a Kubernaut storage service, trusting nothing it says:
  --key KEY            the log's verifier key (origin+keyid+base64), or a file holding it
  --url URL            the storage service, e.g. http://127.0.0.1:8085 (token: KUBERNAUT_AUDIT_TOKEN or --token)
  --checkpoints PATH   a checkpoint, or a directory of them, published outside the database (repeatable)
  --correlation-id ID  verify one remediation's records (its name)
  --fingerprint FP     verify one alert's records
  --all                verify every record (rebuilds the whole tree)
  exit 0: verified; 1: something failed (each failure on a line starting FAIL); 2: bad arguments or unreachable source

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
    },
  });
  if (values.key === undefined) throw new UsageError("--key is required");
  if (values.url === undefined) throw new UsageError("--url is required");
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
  const verifier = await readKey(values.key);
  const { trusted, rejected } = await loadCheckpoints(values.checkpoints ?? [], verifier);
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
  const source = new HttpSource(values.url, values.token ?? io.env.KUBERNAUT_AUDIT_TOKEN);
  const verified = await verifyAuditTrail({ verifier, trusted, source, scope }, report);
  if (verified && !failed) {
    io.out("verified");
    return 0;
  }
  io.out("NOT verified");
  return 1;
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
    if (command === "verify") return await verify(rest, io);
    if (command === "keygen") return await keygen(rest, io);
    if (command === "--help" || command === "help") {
      io.out(USAGE);
      return 0;
    }
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
