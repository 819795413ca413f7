import { describe, expect, it } from "vitest";
import { KeyedLock } from "../../src/keyed-lock.js";

describe("KeyedLock", () => {
  it("runs tasks of one key one after another, and of different keys side by side", async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([
      lock.run("a", task("a1", 30)),
      lock.run("a", task("a2", 1)),
      lock.run("b", task("b1", 1)),
    ]);
    expect(results).toEqual(["a1", "a2", "b1"]);
    expect(log.indexOf("end a1")).toBeLessThan(log.indexOf("start a2"));
    expect(log.indexOf("start b1")).toBeLessThan(log.indexOf("end a1"));
  });

  it("goes on with the next task after one fails", async () => {
    const lock = new KeyedLock();
    await expect(lock.run("a", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(lock.run("a", async () => "next")).resolves.toBe("next");
  });
});
