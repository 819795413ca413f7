import { afterEach, describe, expect, it } from "vitest";
import { chromiumPath } from "./index.js";

const saved = process.env.CHROMIUM_PATH;
afterEach(() => {
  if (saved === undefined) delete process.env.CHROMIUM_PATH;
  else process.env.CHROMIUM_PATH = saved;
});

describe("chromiumPath", () => {
  it("names the package to install when there is no Chromium at CHROMIUM_PATH", () => {
    process.env.CHROMIUM_PATH = "/nonexistent/chromium";
    expect(() => chromiumPath()).toThrow(
      "no Chromium at /nonexistent/chromium: install Debian's chromium package (apt-get install -y chromium) " +
        "or set CHROMIUM_PATH to a Chromium or Chrome executable",
    );
  });

  it("takes CHROMIUM_PATH when it exists", () => {
    process.env.CHROMIUM_PATH = process.execPath;
    expect(chromiumPath()).toBe(process.execPath);
  });
});
