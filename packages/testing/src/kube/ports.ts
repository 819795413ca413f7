import { createServer } from "node:net";

const handedOut = new Set<number>();

/**
 * A random free loopback port in 20000-32767: below Linux's ephemeral range, so outgoing
 * connections do not take it while the server starts. Another process can still race for it;
 * the caller retries on "address already in use".
 */
export async function freeLoopbackPort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_768);
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error("no free loopback port found in 20000-32767");
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}
