/** Nanoseconds elapsed since a `process.hrtime.bigint()` reading. */
export function nanosSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start);
}
