import { mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSignerKey, parseVerifierKey } from "@kubernaut/tlog";
import { describe, expect, it } from "vitest";
import { type Io, run } from "../../src/main.js";

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env: {} };
}

describe("kubernaut-audit command line", () => {
  it.each([
    [[], "no command given"],
    [["frobnicate"], "unknown command frobnicate"],
    [["verify", "--url", "http://127.0.0.1:1", "--all"], "--key is required"],
    [["verify", "--key", "k+1+x", "--all"], "--url (or --export) is required"],
    [["verify", "--key", "k+1+x", "--url", "http://127.0.0.1:1"], "give exactly one of"],
    [
      ["verify", "--key", "k+1+x", "--url", "http://127.0.0.1:1", "--all", "--fingerprint", "fp"],
      "give exactly one of",
    ],
    [["keygen", "--origin", "x"], "--origin and --out are required"],
    [["verify", "--bogus"], "--bogus"],
  ])("%j exits 2 naming the problem, with the usage", async (argv, message) => {
    const io = capture();
    expect(await run(argv, io)).toBe(2);
    expect(io.stderr[0]).toContain(message);
    expect(io.stderr.join("\n")).toContain("usage:");
    expect(io.stdout).toEqual([]);
  });

  it("--key that is neither a key nor a file is a usage error naming it", async () => {
    const io = capture();
    const code = await run(
      ["verify", "--key", "/nonexistent/key", "--url", "http://127.0.0.1:1", "--all"],
      io,
    );
    expect(code).toBe(2);
    expect(io.stderr[0]).toContain("--key: /nonexistent/key is neither a verifier key nor a readable file");
  });

  it("keygen writes a 0600 signing key, prints its verifier key, and never overwrites a file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kubernaut-audit-"));
    const out = join(dir, "signing.key");
    const io = capture();
    expect(await run(["keygen", "--origin", "audit.example/log", "--out", out], io)).toBe(0);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const verifier = parseVerifierKey(io.stdout[0] ?? "");
    expect(verifier.name).toBe("audit.example/log");
    expect((await readFile(out, "utf8")).trim()).not.toBe(io.stdout[0]);

    await writeFile(out, "keep me\n");
    const again = capture();
    expect(await run(["keygen", "--origin", "audit.example/log", "--out", out], again)).toBe(2);
    expect(again.stderr[0]).toContain("EEXIST");
    expect(await readFile(out, "utf8")).toBe("keep me\n");
  });

  it("help prints the usage and exits 0, after a command too", async () => {
    for (const argv of [["--help"], ["verify", "--help"], ["export", "--help"]]) {
      const io = capture();
      expect(await run(argv, io), argv.join(" ")).toBe(0);
      expect(io.stdout[0]).toContain("kubernaut-audit verify");
    }
  });

  it("names the option whose path cannot be used", async () => {
    const key = generateSignerKey("audit.test").verifierKey;
    const dir = tmpdir();
    const directory = capture();
    expect(await run(["verify", "--key", key, "--export", dir], directory)).toBe(2);
    expect(directory.stderr.join("\n")).toMatch(/--export: .* is a directory, not an export file/);
    const absent = capture();
    expect(
      await run(
        [
          "verify",
          "--key",
          key,
          "--url",
          "http://127.0.0.1:1",
          "--all",
          "--checkpoints",
          join(dir, "absent-checkpoints"),
        ],
        absent,
      ),
    ).toBe(2);
    expect(absent.stderr.join("\n")).toMatch(/--checkpoints: cannot read .*absent-checkpoints/);
  });
});
