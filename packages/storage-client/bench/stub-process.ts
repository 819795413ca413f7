/**
 * A loopback stub of the storage service in a process of its own, so that its work (validating batches) does
 * not show up in the benchmark's event-loop delay. Argument: "healthy", or "slow" (answers after 2 s).
 * Prints its URL, and stops on SIGTERM.
 */
import { StubStorage } from "../test/support/stub-storage.js";

const stub = await new StubStorage().up();
if (process.argv[2] === "slow") {
  stub.behaviour = (r) => (r.path.endsWith("/batch") ? { delayMs: 2_000 } : "default");
}
process.stdout.write(`${stub.url}\n`);
process.once("SIGTERM", () => {
  void stub.down().then(() => process.exit(0));
});
