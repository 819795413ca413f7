import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (test-e2e's parent). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export interface KubectlResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs kubectl against `$KUBECONFIG`; a missing binary is reported with how to install it. */
export function kubectl(args: readonly string[], input?: string): KubectlResult {
  const run = spawnSync("kubectl", args, {
    cwd: repoRoot,
    encoding: "utf8",
    input,
    env: process.env,
    timeout: 180_000,
  });
  if (run.error) {
    throw new Error(
      `kubectl could not run (${run.error.message}): install kubectl ≥ 1.27 (Debian: apt-get install kubernetes-client)`,
    );
  }
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Runs kubectl and throws with its output unless it exits 0. */
export function kubectlOk(args: readonly string[], input?: string): string {
  const result = kubectl(args, input);
  if (result.status !== 0) {
    throw new Error(`kubectl ${args.join(" ")} exited ${result.status}:\n${result.stderr}${result.stdout}`);
  }
  return result.stdout;
}
