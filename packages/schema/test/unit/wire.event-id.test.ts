import { describe, expect, it } from "vitest";
import { deterministicEventId, uuidV5 } from "../../src/wire/event-id.js";

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("uuidV5", () => {
  it("matches the RFC 9562 test vector (Appendix A.4: DNS namespace, www.example.com)", () => {
    expect(uuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com")).toBe(
      "2ed6657d-e927-568b-95e1-2665a8aea6a2",
    );
  });

  it("refuses a namespace that is not a UUID", () => {
    expect(() => uuidV5("kubernaut", "x")).toThrow("not a UUID");
  });
});

describe("deterministicEventId", () => {
  it("is a version 5 UUID that depends only on the name", () => {
    const id = deterministicEventId("uid-1/completed");
    expect(id).toMatch(UUID_V5);
    expect(deterministicEventId("uid-1/completed")).toBe(id);
    expect(deterministicEventId("uid-1/failed")).not.toBe(id);
  });

  it("keeps the ids the orchestrator and the processor have stored", () => {
    expect(deterministicEventId("uid-rr-1/remediation-orchestration/phase/completed")).toBe(
      "775e5cfe-a972-5619-a643-826afc1a1f18",
    );
    expect(deterministicEventId("uid-1/remediation-processing/completed")).toBe(
      "99deb54f-1dc3-523f-8827-346d313b4369",
    );
  });
});
