import { execFile } from "node:child_process";
import { once } from "node:events";
import { mkdir, readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, request } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";

/** A request the proxy keeps waiting: its method and path, and the means to drop it. */
interface Held {
  method: string;
  path: string;
  res: ServerResponse;
}

/** A request held: what it asked, and its body. */
export interface HeldRequest {
  method: string;
  path: string;
  body: string;
}

/** What `hold` gives: the first matching request once one arrives, and the release of every held one. */
export interface ApiHold {
  /** Resolves with the first request held, once its body has arrived. */
  readonly first: Promise<HeldRequest>;
  /** Stops holding: the requests held are dropped (their client has usually been killed meanwhile). */
  release(): void;
}

/**
 * A TLS proxy in front of the API server, for one controller: it forwards every request (watches stream
 * through), except those a spec holds. Holding a write that a reconcile awaits pins a kill inside that
 * reconcile. It serves a certificate of its own for 127.0.0.1, made with openssl in `dir`.
 */
export interface ApiProxy {
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  /** PEM of the proxy's certificate, which a client's kubeconfig must trust. */
  readonly certPem: string;
  hold(match: (method: string, path: string) => boolean): ApiHold;
  close(): Promise<void>;
}

const execFileAsync = promisify(execFile);

export async function startApiProxy(upstream: string, upstreamCaPem: string, dir: string): Promise<ApiProxy> {
  await mkdir(dir, { recursive: true });
  const key = join(dir, "api-proxy.key");
  const cert = join(dir, "api-proxy.crt");
  await execFileAsync("openssl", [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=127.0.0.1",
    "-addext",
    "subjectAltName=IP:127.0.0.1",
    "-keyout",
    key,
    "-out",
    cert,
  ]);
  const certPem = await readFile(cert, "utf8");
  const target = new URL(upstream);
  let holding: {
    match: (method: string, path: string) => boolean;
    held: Held[];
    arrived(request: HeldRequest): void;
  } | null = null;

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const out = request(
      {
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        ca: upstreamCaPem,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on("error", () => res.destroy());
    res.on("close", () => out.destroy());
    req.pipe(out);
  };

  const server = createServer({ key: await readFile(key), cert: certPem }, (req, res) => {
    const method = req.method ?? "GET";
    const path = new URL(req.url ?? "/", "https://proxy").pathname;
    const current = holding;
    if (current?.match(method, path)) {
      current.held.push({ method, path, res });
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => current.arrived({ method, path, body: Buffer.concat(chunks).toString("utf8") }));
      return;
    }
    forward(req, res);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  return {
    url: `https://127.0.0.1:${port}`,
    certPem,
    hold(match) {
      let arrived: (request: HeldRequest) => void = () => {};
      const first = new Promise<HeldRequest>((resolve) => {
        arrived = resolve;
      });
      const current = { match, held: [] as Held[], arrived: (request: HeldRequest) => arrived(request) };
      holding = current;
      return {
        first,
        release() {
          if (holding === current) holding = null;
          for (const { res } of current.held) res.destroy();
        },
      };
    },
    async close() {
      holding = null;
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
