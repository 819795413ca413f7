#!/usr/bin/env node
import { type Io, run } from "./main.js";

const io: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};
run(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`kubernaut-audit: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 2;
  },
);
