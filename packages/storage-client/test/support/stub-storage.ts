import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { BatchRequest, fieldErrors } from "@kubernaut/schema/contracts";

export interface StubRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  at: number;
}

/**
 * Decides the answer to one request: `default` answers as the service would; `hang` never answers (the
 * connection stays open until the client gives up or the stub goes down); `store-then-hang` stores the batch
 * but never answers, as a service that committed and then stalled; `delayMs` answers as usual, that much later.
 */
export type StubBehaviour = (
  request: StubRequest,
) =>
  | "default"
  | "hang"
  | "store-then-hang"
  | { delayMs: number }
  | { status: number; body?: unknown; headers?: Record<string, string> };

/**
 * A loopback HTTP server speaking the storage API's wire contract for the publisher's tests: it validates
 * batches with the shared zod schema (400 problem+json naming `records.N.field`), stores records by
 * `event_id` as the service does, and can be scripted to fail, hang, or go down and come back.
 * With `upstream` set it is a proxy in front of the real service instead, and `store-then-hang` forwards
 * the request before it stalls.
 */
export class StubStorage {
  readonly requests: StubRequest[] = [];
  /** The answers the upstream service gave, in order. */
  readonly upstreamAnswers: { path: string; status: number; body: unknown }[] = [];
  readonly stored = new Map<string, Record<string, unknown>>();
  duplicates = 0;
  behaviour: StubBehaviour = () => "default";
  maxBatchRecords = 1000;
  private server: Server | undefined;
  private readonly hanging = new Set<ServerResponse>();
  port = 0;

  constructor(readonly upstream?: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Listens (again) on the same port; the first call picks a free one. */
  async up(): Promise<this> {
    const server = createServer((req, res) => {
      void this.handle(req, res);
    });
    server.listen(this.port, "127.0.0.1");
    await once(server, "listening");
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Stops listening and cuts every connection: clients now get ECONNREFUSED. */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    server.closeAllConnections();
    server.close();
    await once(server, "close");
  }

  batches(): StubRequest[] {
    return this.requests.filter((r) => r.path === "/api/v1/audit/batch");
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: StubRequest = {
      method: req.method ?? "",
      path: (req.url ?? "").split("?")[0] ?? "",
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
      at: Date.now(),
    };
    this.requests.push(request);
    const decision = this.behaviour(request);
    if (decision === "hang" || decision === "store-then-hang") {
      this.hanging.add(res);
      if (decision === "store-then-hang") await this.answerDefault(request);
      return;
    }
    if (typeof decision === "object" && "delayMs" in decision) {
      await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    } else if (typeof decision === "object") {
      res.writeHead(decision.status, decision.headers ?? { "content-type": "application/problem+json" });
      res.end(decision.body === undefined ? "" : JSON.stringify(decision.body));
      return;
    }
    const { status, body } = await this.answerDefault(request);
    res.writeHead(status, {
      "content-type": status < 300 ? "application/json" : "application/problem+json",
    });
    res.end(JSON.stringify(body));
  }

  private async answerDefault(request: StubRequest): Promise<{ status: number; body: unknown }> {
    if (!this.upstream) return this.answerAsService(request);
    const response = await fetch(`${this.upstream}${request.path}`, {
      method: request.method,
      headers: { "content-type": "application/json" },
      body: request.method === "POST" ? request.body : undefined,
    });
    const answer = { status: response.status, body: (await response.json()) as unknown };
    this.upstreamAnswers.push({ path: request.path, ...answer });
    return answer;
  }

  /** What the service would answer, storing the batch's records if it is valid. */
  private answerAsService(request: StubRequest): { status: number; body: unknown } {
    if (request.method === "GET" && request.path === "/api/v1/limits") {
      return { status: 200, body: { max_batch_records: this.maxBatchRecords, max_body_bytes: 10 << 20 } };
    }
    if (request.method !== "POST" || request.path !== "/api/v1/audit/batch") {
      return { status: 404, body: problem(404, "Not Found") };
    }
    const parsed = BatchRequest.safeParse(JSON.parse(request.body));
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error.issues);
      return {
        status: 400,
        body: {
          ...problem(400, "Request validation failed"),
          detail: `${errors.length} fields are invalid`,
          errors,
        },
      };
    }
    const eventIds: string[] = [];
    let inserted = 0;
    for (const record of parsed.data.records) {
      const id = String(record.event_id);
      eventIds.push(id);
      if (this.stored.has(id)) this.duplicates++;
      else {
        this.stored.set(id, record as Record<string, unknown>);
        inserted++;
      }
    }
    return { status: 201, body: { inserted, duplicates: eventIds.length - inserted, event_ids: eventIds } };
  }
}

export function problem(status: number, title: string, extra: Record<string, unknown> = {}) {
  return { type: "https://kubernaut.ai/problems/test", title, status, ...extra };
}
