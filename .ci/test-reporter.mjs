// A vitest reporter that `pnpm run ci` adds beside the default one: it writes each test's outcome (file, name,
// state, skip note) as JSON lines to .ci/results/, so that the run can end with the tests that were skipped everywhere.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const resultsDir = join(root, ".ci", "results");

// biome-ignore lint/style/noDefaultExport: vitest loads a reporter module by its default export
export default class TestOutcomeReporter {
  onTestRunEnd(testModules) {
    const lines = [];
    for (const module of testModules) {
      const file = relative(root, module.moduleId);
      for (const test of module.children.allTests()) {
        const result = test.result();
        lines.push(
          JSON.stringify({ file, name: test.fullName, state: result.state, note: result.note ?? "" }),
        );
      }
    }
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(
      join(resultsDir, `${process.pid}-${Date.now()}.jsonl`),
      lines.map((l) => `${l}\n`).join(""),
    );
  }
}
