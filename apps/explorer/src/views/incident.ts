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
import { formatDuration, formatTime, remediationDuration } from "../format.js";
import { LANE_LABELS, labelGap, layoutTimeline, type TimelineMark, unsaidFlags } from "../lanes.js";
import { empty, failure, loading } from "../states.js";
import { formatHash, type IncidentState } from "../url-state.js";
import { verificationBadge } from "../verification.js";
import { badge } from "./search.js";

type TimelineEvent = AuditTimeline["items"][number];

const ROW_HEIGHT = 26;

/** Similar investigations weaker than this are no match worth showing (cosine similarity, −1…1). */
export const MIN_SIMILARITY = 0.5;

/** The space the label column and the track's margins take from the view's width (see style.css `.lane`). */
const LANE_CHROME = 120 + 76 + 26 + 32;

/** The legal-hold events of the alert's timeline (`legal-hold.placed` / `legal-hold.released`). */
const isHoldEvent = (e: TimelineEvent) =>
  e.source === "datastorage" && e.event_type.startsWith("legal-hold.");

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
  // Flags the label says already ("timeout" on a timeout mark) are not said twice.
  const extra = unsaidFlags(mark);
  // The label ends before the next mark of its row (`--next`), or at the card's edge for the row's last mark.
  const next = mark.next === undefined ? "" : `; --next: ${mark.next.toFixed(4)}`;
  return h(
    "button",
    {
      type: "button",
      class: `mark ${flags}${mark.next === undefined ? "" : " has-next"}`,
      style: `left: calc(${(mark.x * 100).toFixed(3)}% - 6px); top: ${mark.row * ROW_HEIGHT + 4}px; --x: ${mark.x.toFixed(4)}${next}`,
      "data-event-id": mark.eventId,
      "data-mark": mark.id,
      title: `${mark.label} at ${formatTime(new Date(mark.time).toISOString())}${extra.length ? ` (${extra.join(", ")})` : ""}`,
      "aria-label": `${LANE_LABELS[mark.lane]}: ${mark.label}${extra.length ? `, ${extra.join(", ")}` : ""}`,
      onclick: () => select(mark.eventId),
    },
    h("span", { class: "mark-label" }, mark.label),
  );
}

/**
 * The trail the lanes draw: a legal hold placed or released outside the span of the remediation's own records stays
 * off them (the summary and the record list show it), so a hold placed weeks later never squeezes the timeline.
 */
function withinRecords(trail: TimelineEvent[]): TimelineEvent[] {
  const times = trail.filter((e) => !isHoldEvent(e)).map((e) => Date.parse(e.occurred_at));
  const [first, last] = [Math.min(...times), Math.max(...times)];
  return trail.filter((e) => {
    if (!isHoldEvent(e)) return true;
    const at = Date.parse(e.occurred_at);
    return at >= first && at <= last;
  });
}

function swimlanes(
  trail: TimelineEvent[],
  remediation: RemediationAuditRecord | undefined,
  select: (eventId: string) => void,
  viewWidth: number,
): HTMLElement {
  // Marks stack onto rows by how much of the span a label needs at this width (a phone shows no labels).
  const layout = layoutTimeline(
    trail,
    remediation,
    viewWidth > 700 ? labelGap(viewWidth - LANE_CHROME) : 0.12,
  );
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

/** One line per legal hold of the alert or remediation: held since when, by whom and why, or released. */
export function holdLines(events: readonly TimelineEvent[]): string[] {
  const holds = new Map<string, TimelineEvent[]>();
  for (const e of events) {
    const id = typeof e.payload.hold_id === "string" ? e.payload.hold_id : e.event_id;
    holds.set(id, [...(holds.get(id) ?? []), e]);
  }
  return [...holds.values()].map((changes) => {
    const placed = changes.find((e) => e.event_type === "legal-hold.placed");
    const released = changes.find((e) => e.event_type === "legal-hold.released");
    const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
    const reason = text(placed?.payload.reason);
    const by = text(placed?.payload.requested_by);
    const expires = text(placed?.payload.expires_at);
    const since = placed
      ? `placed ${formatTime(placed.occurred_at)}${by ? ` by ${by}` : ""}${reason ? `: ${reason}` : ""}`
      : "placed";
    if (released) return `Released ${formatTime(released.occurred_at)} (${since})`;
    if (expires && Date.parse(expires) <= Date.now()) return `Expired ${formatTime(expires)} (${since})`;
    return `Held, ${since}${expires ? ` (until ${formatTime(expires)})` : ""}`;
  });
}

/** A failure reason with its line breaks, clamped to a few lines with a toggle when it is longer. */
function failureText(remediation: RemediationAuditRecord): HTMLElement {
  const reason = remediation.failure_reason ?? "";
  const phase = remediation.failure_phase;
  const text = h(
    "span",
    { class: "failure-text" },
    phase ? `${phase}${reason ? `: ${reason}` : ""}` : reason,
  );
  const toggle = h(
    "button",
    {
      type: "button",
      class: "link show-all",
      hidden: true,
      "aria-expanded": "false",
      onclick: () => {
        const open = text.classList.toggle("open");
        toggle.setAttribute("aria-expanded", String(open));
        toggle.textContent = open ? "Show less" : "Show all";
      },
    },
    "Show all",
  );
  return h("span", { class: "failure" }, text, toggle);
}

/** Shows the "Show all" toggle of a failure reason that is cut short (once it is laid out). */
function offerShowAll(root: HTMLElement): void {
  for (const failure of root.querySelectorAll<HTMLElement>(".summary .failure")) {
    const text = failure.querySelector<HTMLElement>(".failure-text");
    const toggle = failure.querySelector<HTMLElement>(".show-all");
    if (text && toggle) toggle.hidden = text.scrollHeight <= text.clientHeight + 1;
  }
}

function summary(
  fingerprint: string,
  remediation: RemediationAuditRecord | undefined,
  trail: TimelineEvent[],
  holds: string[],
): HTMLElement {
  const item = (term: string, value: Child, cls?: string) =>
    h("div", { class: cls ? `item ${cls}` : "item" }, h("dt", {}, term), h("dd", {}, value));
  const held = holds.length
    ? item(
        "Legal hold",
        holds.length === 1
          ? holds[0]
          : h(
              "ul",
              {},
              holds.map((line) => h("li", {}, line)),
            ),
        "flag-hold",
      )
    : null;
  if (!remediation) {
    return h(
      "div",
      {},
      h("p", { class: "meta" }, `Alert `, h("code", {}, fingerprint), ` · ${trail.length} records`),
      held ? h("dl", { class: "summary" }, held) : null,
    );
  }
  return h(
    "dl",
    { class: "summary" },
    item("Status", badge(remediation.overall_phase)),
    item("Alert", h("code", {}, fingerprint)),
    item("Started", formatTime(remediation.start_time)),
    item("Duration", remediationDuration(remediation)),
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
      ? item("Failure", failureText(remediation), "flag-failure")
      : null,
    held,
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
    const found = await similarInvestigations(text, 6, MIN_SIMILARITY);
    const others = found.results
      .filter((r) => r.alert_fingerprint !== fingerprint && r.similarity >= MIN_SIMILARITY)
      .slice(0, 5);
    if (others.length === 0) {
      section.replaceChildren(
        h("h2", {}, "Similar investigations"),
        empty(
          "No close match.",
          `No past investigation of another alert has a similarity of ${MIN_SIMILARITY} or more.`,
        ),
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

/** Where the verification goes: a live region for the badge (so a change is announced) and its buttons. */
interface VerifySlot {
  status: HTMLElement;
  actions: HTMLElement;
}

function verifySlot(): VerifySlot & { slot: HTMLElement } {
  const status = h("span", {
    class: "verify-status",
    role: "status",
    "aria-live": "polite",
    "aria-atomic": "true",
  });
  const actions = h("span", { class: "verify-actions" });
  return { slot: h("span", { class: "verify-slot" }, status, actions), status, actions };
}

/**
 * The incident's verification against the tamper-evident log (a badge, and what is wrong when it fails) and a
 * button that downloads its verified export. The export holds only records sealed under the latest checkpoint,
 * so while the badge is pending the button is disabled, saying why, and "Re-check" asks again. After a re-check
 * focus stays on the new Re-check button, or on the badge once there is none. A service without the log (404)
 * shows neither.
 */
async function fillVerify(
  slot: VerifySlot,
  scope: IncidentScope,
  filename: string,
  refocus = false,
): Promise<void> {
  let result: AuditVerification;
  try {
    result = await verification(scope);
  } catch (error) {
    if (error instanceof ApiError && error.failure.kind === "http" && error.failure.status === 404) return;
    slot.status.replaceChildren(
      h(
        "span",
        { class: "badge badge-pending", "data-verify": "error", tabindex: -1 },
        "Not verified: the check failed",
      ),
    );
    slot.actions.replaceChildren();
    if (refocus) slot.status.querySelector<HTMLElement>(".badge")?.focus();
    return;
  }
  const badgeOf = verificationBadge(result);
  const pending = badgeOf.state === "pending";
  const status = h(
    "span",
    {
      class: `badge badge-${badgeOf.state === "verified" ? "completed" : badgeOf.state}`,
      "data-verify": badgeOf.state,
      title: result.checkpoint ? `root ${result.checkpoint.root_hash}` : null,
      tabindex: badgeOf.state === "failed" ? null : -1,
    },
    badgeOf.text,
  );
  const exportButton = h(
    "button",
    {
      type: "button",
      class: "secondary",
      "data-export": "",
      disabled: pending,
      "aria-describedby": pending ? "export-reason" : null,
      onclick: async () => {
        exportButton.setAttribute("disabled", "");
        try {
          download(filename, await verifiedExport(scope), "application/x-ndjson");
        } catch (error) {
          slot.actions.append(
            h("span", { class: "state error", role: "alert" }, `Export failed: ${(error as Error).message}`),
          );
        } finally {
          exportButton.removeAttribute("disabled");
        }
      },
    },
    "Download verified export",
  );
  const recheck = pending
    ? h(
        "button",
        { type: "button", class: "secondary", onclick: () => void fillVerify(slot, scope, filename, true) },
        "Re-check",
      )
    : null;
  const problems =
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
      : null;
  slot.status.replaceChildren(problems ?? status);
  slot.actions.replaceChildren();
  append(slot.actions, [
    recheck,
    pending || result.checkpoint !== null ? exportButton : null,
    pending
      ? h("span", { class: "hint", id: "export-reason" }, "Export available once every record is sealed")
      : null,
  ]);
  if (refocus) (recheck ?? problems?.querySelector("summary") ?? status).focus();
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
  const verify = verifySlot();
  const head = h("div", { class: "incident-head" }, title, verify.slot);
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
  // Legal holds are filed under the alert's fingerprint or the remediation's name, by the storage service.
  const records = all.items.filter((e) => !isHoldEvent(e));
  // Remediations are listed newest first; an alert with records but no remediation row goes by its last record.
  const name = requested.remediation ?? remediations[0]?.remediation_name ?? records.at(-1)?.correlation_id;
  const state: IncidentState = name === undefined ? requested : { ...requested, remediation: name };
  if (state !== requested) history.replaceState(null, "", formatHash(state));
  title.textContent = `Incident ${name ?? state.fingerprint}`;
  document.title = `Incident ${name ?? state.fingerprint} · Kubernaut Audit`;
  // The remediation's records and the holds of the alert or of this remediation, in time order.
  const holdEvents = all.items.filter(
    (e) =>
      isHoldEvent(e) &&
      (name === undefined || e.correlation_id === name || e.correlation_id === state.fingerprint),
  );
  const trail = all.items.filter((e) =>
    isHoldEvent(e) ? holdEvents.includes(e) : name === undefined || e.correlation_id === name,
  );
  const remediation = remediations.find((r) => r.remediation_name === name);
  const analysis =
    analyses.find((a) => a.remediation_id === name) ?? (name === undefined ? analyses[0] : undefined);
  if (records.length === 0 && remediations.length === 0) {
    show(
      empty(
        "No audit record of this alert is stored.",
        `Nothing is stored for the alert fingerprint ${state.fingerprint}: check the link, or whether retention has deleted its records.`,
      ),
    );
    return;
  }
  if (!trail.some((e) => !isHoldEvent(e))) {
    show(
      empty(
        `No audit record of the remediation ${name} is stored.`,
        `The alert ${state.fingerprint} has records of other remediations.`,
      ),
    );
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
    summary(state.fingerprint, remediation, trail, holdLines(holdEvents)),
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
    swimlanes(withinRecords(trail), remediation, select, root.clientWidth),
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
  offerShowAll(root);
  select(
    state.record && trail.some((e) => e.event_id === state.record)
      ? state.record
      : (trail.at(-1)?.event_id ?? ""),
    false,
  );
  void fillSimilar(similar, state.fingerprint, analysis, remediation);
  void fillVerify(
    verify,
    name ? { correlation_id: name } : { fingerprint: state.fingerprint },
    `${name ?? state.fingerprint}.audit-export.ndjson`,
  );
}
