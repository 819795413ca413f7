import type {
  AIAnalysisAuditRecord,
  AuditTimeline,
  AuditVerification,
  RemediationAuditRecord,
} from "@kubernaut/schema";
import {
  ApiError,
  type IncidentScope,
  listRecords,
  similarInvestigations,
  timeline,
  verification,
  verifiedExport,
} from "../api.js";
import { diffWithPrevious, type FieldChange } from "../diff.js";
import { append, type Child, download, h } from "../dom.js";
import { durationBetween, formatDuration, formatTime } from "../format.js";
import { LANE_LABELS, layoutTimeline, type TimelineMark } from "../lanes.js";
import { empty, failure, loading } from "../states.js";
import { formatHash, type IncidentState } from "../url-state.js";
import { verificationBadge } from "../verification.js";
import { badge } from "./search.js";

type TimelineEvent = AuditTimeline["items"][number];

const ROW_HEIGHT = 26;

function json(value: unknown): string {
  return value === undefined ? "" : JSON.stringify(value, null, 2);
}

function diffTable(changes: FieldChange[]): HTMLElement {
  if (changes.length === 0) return h("p", { class: "hint" }, "Nothing changed since the previous record.");
  const table = h(
    "table",
    { class: "diff" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Field"),
        h("th", { scope: "col" }, "Before"),
        h("th", { scope: "col" }, "After"),
      ),
    ),
    h(
      "tbody",
      {},
      changes.map((c) =>
        h(
          "tr",
          { class: `diff-${c.kind}`, "data-path": c.path },
          h("td", {}, h("code", {}, c.path)),
          h("td", { class: "before" }, h("pre", {}, json(c.before))),
          h("td", { class: "after" }, h("pre", {}, json(c.after))),
        ),
      ),
    ),
  );
  return h("div", { class: "table-wrap" }, table);
}

function recordDetail(trail: TimelineEvent[], record: TimelineEvent): HTMLElement {
  const { previous, changes } = diffWithPrevious(trail, record);
  return h(
    "section",
    { class: "record-detail", "aria-label": "Selected record", tabindex: -1, id: "record-detail" },
    h("h2", {}, record.event_type),
    h(
      "p",
      { class: "meta" },
      `${record.source} · occurred ${formatTime(record.occurred_at)} · received ${formatTime(record.received_at)} · event `,
      h("code", {}, record.event_id),
    ),
    h(
      "h3",
      {},
      previous
        ? `Changes since ${previous.event_type} (${formatTime(previous.occurred_at)})`
        : "First record of this resource: every field is new",
    ),
    diffTable(changes),
    h("details", { open: true }, h("summary", {}, "Raw JSON"), h("pre", { class: "raw-json" }, json(record))),
  );
}

function markButton(mark: TimelineMark, select: (eventId: string) => void): HTMLElement {
  const flags = mark.flags.map((f) => `mark-${f}`).join(" ");
  return h(
    "button",
    {
      type: "button",
      class: `mark ${flags}`,
      style: `left: calc(${(mark.x * 100).toFixed(3)}% - 6px); top: ${mark.row * ROW_HEIGHT + 4}px; --x: ${mark.x.toFixed(4)}`,
      "data-event-id": mark.eventId,
      "data-mark": mark.id,
      title: `${mark.label} at ${formatTime(new Date(mark.time).toISOString())}${mark.flags.length ? ` (${mark.flags.join(", ")})` : ""}`,
      "aria-label": `${LANE_LABELS[mark.lane]}: ${mark.label}${mark.flags.length ? `, ${mark.flags.join(", ")}` : ""}`,
      onclick: () => select(mark.eventId),
    },
    h("span", { class: "mark-label" }, mark.label),
  );
}

function swimlanes(
  trail: TimelineEvent[],
  remediation: RemediationAuditRecord | undefined,
  select: (eventId: string) => void,
): HTMLElement {
  const layout = layoutTimeline(trail, remediation);
  return h(
    "section",
    { class: "swimlanes", "aria-label": "Timeline by controller" },
    layout.lanes.map((lane) =>
      h(
        "div",
        { class: "lane", "data-lane": lane.lane },
        h(
          "div",
          { class: "lane-label" },
          LANE_LABELS[lane.lane],
          h("span", { class: "count" }, ` ${lane.marks.length}`),
        ),
        h(
          "div",
          { class: "lane-track", style: `height: ${lane.rows * ROW_HEIGHT + 8}px` },
          lane.marks.map((m) => markButton(m, select)),
        ),
      ),
    ),
    h(
      "div",
      { class: "axis" },
      h("span", {}, formatTime(new Date(layout.start).toISOString())),
      h("span", {}, `span ${formatDuration(layout.end - layout.start)}`),
      h("span", {}, formatTime(new Date(layout.end).toISOString())),
    ),
  );
}

function recordList(trail: TimelineEvent[], select: (eventId: string) => void): HTMLElement {
  return h(
    "ol",
    { class: "record-list", "aria-label": "Every audit record, in order" },
    trail.map((e) =>
      h(
        "li",
        {},
        h(
          "button",
          { type: "button", "data-event-id": e.event_id, onclick: () => select(e.event_id) },
          h("time", { datetime: e.occurred_at }, formatTime(e.occurred_at)),
          " ",
          h("span", { class: `source source-${e.source}` }, e.source),
          " ",
          e.event_type,
        ),
      ),
    ),
  );
}

function summary(
  fingerprint: string,
  remediation: RemediationAuditRecord | undefined,
  trail: TimelineEvent[],
): HTMLElement {
  if (!remediation) {
    return h("p", { class: "meta" }, `Alert `, h("code", {}, fingerprint), ` · ${trail.length} records`);
  }
  const duration = durationBetween(remediation.start_time, remediation.completion_time);
  const item = (term: string, value: Child, cls?: string) =>
    h("div", { class: cls ? `item ${cls}` : "item" }, h("dt", {}, term), h("dd", {}, value));
  return h(
    "dl",
    { class: "summary" },
    item("Status", badge(remediation.overall_phase)),
    item("Alert", h("code", {}, fingerprint)),
    item("Started", formatTime(remediation.start_time)),
    item("Duration", duration === null ? "running" : formatDuration(duration)),
    item("Records", String(trail.length)),
    remediation.duplicate_count
      ? item(
          "Duplicates",
          `${remediation.duplicate_count} (last ${formatTime(remediation.last_duplicate_time)})`,
          "flag-duplicate",
        )
      : null,
    remediation.timeout_phase
      ? item(
          "Timeout",
          `in ${remediation.timeout_phase} at ${formatTime(remediation.timeout_time)}`,
          "flag-timeout",
        )
      : null,
    remediation.failure_phase || remediation.failure_reason
      ? item(
          "Failure",
          `${remediation.failure_phase ?? ""}: ${remediation.failure_reason ?? ""}`,
          "flag-failure",
        )
      : null,
  );
}

/** Past investigations like this one, each with the outcome of its remediation. */
async function fillSimilar(
  section: HTMLElement,
  fingerprint: string,
  analysis: AIAnalysisAuditRecord | undefined,
  remediation: RemediationAuditRecord | undefined,
): Promise<void> {
  const text = analysis?.investigation_report ?? remediation?.failure_reason ?? analysis?.top_recommendation;
  if (!text) {
    section.replaceChildren(
      h("h2", {}, "Similar investigations"),
      empty("No investigation text to compare with."),
    );
    return;
  }
  try {
    const found = await similarInvestigations(text, 6);
    const others = found.results.filter((r) => r.alert_fingerprint !== fingerprint).slice(0, 5);
    if (others.length === 0) {
      section.replaceChildren(
        h("h2", {}, "Similar investigations"),
        empty("No similar past investigation is stored."),
      );
      return;
    }
    const outcomes = await Promise.all(
      others.map((r) =>
        listRecords("orchestrator", { fingerprint: r.alert_fingerprint, limit: 1 })
          .then((p) => p.items[0])
          .catch(() => undefined),
      ),
    );
    section.replaceChildren(
      h("h2", {}, "Similar investigations"),
      h(
        "ul",
        { class: "similar" },
        others.map((r, i) => {
          const outcome = outcomes[i];
          return h(
            "li",
            {},
            h(
              "a",
              {
                href: formatHash({
                  view: "incident",
                  fingerprint: r.alert_fingerprint,
                  ...(outcome ? { remediation: outcome.remediation_name } : {}),
                }),
              },
              r.root_cause ?? r.alert_fingerprint,
            ),
            " ",
            badge(outcome?.overall_phase ?? "no remediation"),
            h(
              "span",
              { class: "hint" },
              ` similarity ${r.similarity.toFixed(2)} · ${r.environment ?? ""} · ${formatTime(r.created_at)}`,
            ),
          );
        }),
      ),
    );
  } catch (error) {
    section.replaceChildren(
      h("h2", {}, "Similar investigations"),
      h("p", { class: "hint" }, `Not available: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
}

/**
 * The incident's verification against the tamper-evident log (a badge, and what is wrong when it fails) and a
 * button that downloads its verified export. A service without the log (404) shows neither.
 */
async function fillVerify(slot: HTMLElement, scope: IncidentScope, filename: string): Promise<void> {
  let result: AuditVerification;
  try {
    result = await verification(scope);
  } catch (error) {
    if (error instanceof ApiError && error.failure.kind === "http" && error.failure.status === 404) return;
    slot.replaceChildren(
      h("span", { class: "badge badge-pending", "data-verify": "error" }, "Not verified: the check failed"),
    );
    return;
  }
  const badgeOf = verificationBadge(result);
  const status = h(
    "span",
    {
      class: `badge badge-${badgeOf.state === "verified" ? "completed" : badgeOf.state}`,
      "data-verify": badgeOf.state,
      title: result.checkpoint ? `root ${result.checkpoint.root_hash}` : null,
    },
    badgeOf.text,
  );
  const exportButton = h(
    "button",
    {
      type: "button",
      class: "secondary",
      "data-export": "",
      onclick: async () => {
        exportButton.setAttribute("disabled", "");
        try {
          download(filename, await verifiedExport(scope), "application/x-ndjson");
        } catch (error) {
          slot.append(
            h("span", { class: "state error", role: "alert" }, `Export failed: ${(error as Error).message}`),
          );
        } finally {
          exportButton.removeAttribute("disabled");
        }
      },
    },
    "Download verified export",
  );
  slot.replaceChildren();
  append(slot, [
    badgeOf.state === "failed"
      ? h(
          "details",
          { class: "verify-problems" },
          h("summary", {}, status),
          h(
            "ul",
            {},
            badgeOf.problems.map((line) => h("li", {}, line)),
          ),
        )
      : status,
    badgeOf.state === "pending"
      ? h(
          "button",
          { type: "button", class: "secondary", onclick: () => void fillVerify(slot, scope, filename) },
          "Re-check",
        )
      : null,
    result.checkpoint === null ? null : exportButton,
  ]);
}

/**
 * One remediation as a swimlane timeline, the chosen record's JSON and what changed since its resource's previous
 * record. Without a remediation in the link, the alert's newest one, named in the URL so that the link stays put.
 * Nothing is drawn, and the URL is left alone, once `signal` says the user has moved on.
 */
export async function renderIncident(
  root: HTMLElement,
  requested: IncidentState,
  signal: AbortSignal,
): Promise<void> {
  const title = h("h1", {}, `Incident ${requested.remediation ?? requested.fingerprint}`);
  const verifySlot = h("span", { class: "verify-slot" });
  const head = h("div", { class: "incident-head" }, title, verifySlot);
  // The heading stays while the rest changes, so focus on it survives the load.
  const show = (...children: Child[]) => {
    for (const node of [...root.childNodes]) if (node !== head) node.remove();
    append(root, children);
  };
  root.replaceChildren(head, loading("the timeline"));
  let data: [AuditTimeline, RemediationAuditRecord[], AIAnalysisAuditRecord[]];
  try {
    data = await Promise.all([
      timeline(requested.fingerprint),
      listRecords("orchestrator", { fingerprint: requested.fingerprint, limit: 100 }).then((p) => p.items),
      listRecords("ai-analysis", { fingerprint: requested.fingerprint, limit: 100 }).then((p) => p.items),
    ]);
  } catch (error) {
    if (signal.aborted) return;
    show(failure(error, () => void renderIncident(root, requested, signal)));
    return;
  }
  if (signal.aborted) return;
  const [all, remediations, analyses] = data;
  // Remediations are listed newest first; an alert with records but no remediation row goes by its last record.
  const name = requested.remediation ?? remediations[0]?.remediation_name ?? all.items.at(-1)?.correlation_id;
  const state: IncidentState = name === undefined ? requested : { ...requested, remediation: name };
  if (state !== requested) history.replaceState(null, "", formatHash(state));
  title.textContent = `Incident ${name ?? state.fingerprint}`;
  const trail = name === undefined ? all.items : all.items.filter((e) => e.correlation_id === name);
  const remediation = remediations.find((r) => r.remediation_name === name);
  const analysis =
    analyses.find((a) => a.remediation_id === name) ?? (name === undefined ? analyses[0] : undefined);
  if (trail.length === 0) {
    show(empty("No audit record of this remediation is stored.", `Alert fingerprint ${state.fingerprint}.`));
    return;
  }

  const detailSlot = h("div", { class: "detail-slot" });
  const select = (eventId: string, focus = true) => {
    const record = trail.find((e) => e.event_id === eventId);
    if (!record || signal.aborted) return;
    history.replaceState(null, "", formatHash({ ...state, record: eventId }));
    for (const el of root.querySelectorAll("[data-event-id]"))
      el.classList.toggle("selected", el.getAttribute("data-event-id") === eventId);
    detailSlot.replaceChildren(recordDetail(trail, record));
    if (focus) detailSlot.querySelector<HTMLElement>("#record-detail")?.focus();
  };
  const otherAttempts = remediations.filter((r) => r.remediation_name !== name);
  const similar = h(
    "section",
    { class: "similar-area", "aria-label": "Similar investigations" },
    h("h2", {}, "Similar investigations"),
    loading("similar investigations"),
  );
  show(
    summary(state.fingerprint, remediation, trail),
    all.truncated
      ? h(
          "p",
          { class: "state error" },
          "The timeline is longer than 10000 records; only the first are shown.",
        )
      : null,
    otherAttempts.length
      ? h(
          "p",
          { class: "attempts" },
          "Other remediations of this alert: ",
          otherAttempts.map((r) => [
            h(
              "a",
              {
                href: formatHash({
                  view: "incident",
                  fingerprint: state.fingerprint,
                  remediation: r.remediation_name,
                }),
              },
              r.remediation_name,
            ),
            " ",
            badge(r.overall_phase),
            " ",
          ]),
        )
      : null,
    swimlanes(trail, remediation, select),
    h(
      "div",
      { class: "incident-body" },
      h(
        "section",
        { class: "records", "aria-label": "Records" },
        h("h2", {}, "Records"),
        recordList(trail, select),
      ),
      detailSlot,
    ),
    similar,
  );
  select(
    state.record && trail.some((e) => e.event_id === state.record)
      ? state.record
      : (trail.at(-1)?.event_id ?? ""),
    false,
  );
  void fillSimilar(similar, state.fingerprint, analysis, remediation);
  void fillVerify(
    verifySlot,
    name ? { correlation_id: name } : { fingerprint: state.fingerprint },
    `${name ?? state.fingerprint}.audit-export.ndjson`,
  );
}
