import { seededRandom } from "@kubernaut/testing/fixtures";

/**
 * Synthetic investigation reports for embedding tests: `distinctInvestigations()` gives texts that share the
 * domain's vocabulary (several per incident kind, differing in service, namespace and figures), and
 * `perturb()` rewrites one the way a second report of the same incident differs: sentences re-ordered,
 * a new pod name, a changed number, a few typos.
 */

const INCIDENTS: ReadonlyArray<(s: Service) => string[]> = [
  (s) => [
    `Container ${s.name} in pod ${s.pod} was OOMKilled ${s.n} times in the last hour.`,
    `Memory usage climbed steadily to the ${s.mem}Mi limit before each kill, which points to a leak in the ${s.lang} heap.`,
    `The ${s.ns} namespace has no memory headroom left on node ${s.node}.`,
    `Recommendation: raise the memory limit to ${s.mem * 2}Mi and capture a heap profile.`,
  ],
  (s) => [
    `Pod ${s.pod} of deployment ${s.name} is in CrashLoopBackOff with exit code ${s.code}.`,
    `The logs show the process cannot read its config map ${s.name}-config after the last rollout.`,
    `Restarts: ${s.n}; back-off has reached five minutes.`,
    `Recommendation: restore the missing key in ${s.name}-config and roll back revision ${s.rev}.`,
  ],
  (s) => [
    `CPU throttling on ${s.name} reached ${s.pct} percent of periods in namespace ${s.ns}.`,
    `Request latency p99 rose to ${s.n * 100} ms while the HPA stayed at its maximum of ${s.rev} replicas.`,
    `The ${s.lang} worker pool is saturated by a burst of batch requests.`,
    `Recommendation: raise the CPU limit and the HPA maximum for ${s.name}.`,
  ],
  (s) => [
    `Node ${s.node} reports DiskPressure and started evicting pods from ${s.ns}.`,
    `The image cache and container logs of ${s.name} fill ${s.pct} percent of the root volume.`,
    `Eviction removed ${s.n} pods including ${s.pod}.`,
    `Recommendation: prune unused images on ${s.node} and cap log rotation for ${s.name}.`,
  ],
  (s) => [
    `Pod ${s.pod} is stuck in ImagePullBackOff in namespace ${s.ns}.`,
    `The registry answers 401 for the tag ${s.name}:v${s.rev}.${s.n} because the pull secret expired.`,
    `No other workloads on node ${s.node} are affected.`,
    `Recommendation: rotate the image pull secret and restart the rollout of ${s.name}.`,
  ],
  (s) => [
    `Service ${s.name} fails DNS lookups of its database host with SERVFAIL about ${s.pct} percent of the time.`,
    `CoreDNS pods on node ${s.node} restarted ${s.n} times after a config change in ${s.ns}.`,
    `The ${s.lang} client caches no negative answers, so every request retries the lookup.`,
    `Recommendation: revert the CoreDNS config and add a DNS cache sidecar to ${s.name}.`,
  ],
  (s) => [
    `The liveness probe of ${s.name} times out after ${s.n} seconds and the kubelet restarts pod ${s.pod}.`,
    `Garbage collection pauses in the ${s.lang} runtime exceed the probe timeout under load.`,
    `Namespace ${s.ns} shows ${s.rev} restarts in the last day.`,
    `Recommendation: lengthen the probe timeout and separate readiness from liveness for ${s.name}.`,
  ],
  (s) => [
    `PersistentVolumeClaim data-${s.name}-0 in ${s.ns} stays Pending for ${s.n} minutes.`,
    `The storage class has no capacity left in zone ${s.zone}, so the StatefulSet cannot start pod ${s.pod}.`,
    `Existing volumes use ${s.pct} percent of the quota.`,
    `Recommendation: expand the quota in ${s.zone} or move ${s.name} to another storage class.`,
  ],
  (s) => [
    `A NetworkPolicy applied to ${s.ns} blocks traffic from ${s.name} to the payments API on port ${s.code}.`,
    `Connection attempts from pod ${s.pod} time out, ${s.n} per second.`,
    `The policy change was rolled out with revision ${s.rev} of the platform chart.`,
    `Recommendation: allow egress from ${s.name} to the payments namespace.`,
  ],
  (s) => [
    `The TLS certificate of the ingress for ${s.name} expired ${s.n} hours ago.`,
    `cert-manager failed to renew it because the ACME challenge in ${s.ns} returns 404.`,
    `Clients of ${s.name} see handshake failures at ${s.pct} percent of requests.`,
    `Recommendation: fix the challenge route and trigger a manual renewal for ${s.name}.`,
  ],
];

const SERVICES = ["checkout", "inventory", "search-api", "auth-gateway", "billing-worker"] as const;
const LANGS = ["Java", "Go", "Node.js", "Python", "Ruby"] as const;
const ZONES = ["us-east-1a", "eu-west-1b", "ap-south-1c"] as const;

interface Service {
  name: string;
  pod: string;
  ns: string;
  node: string;
  lang: string;
  zone: string;
  n: number;
  mem: number;
  pct: number;
  code: number;
  rev: number;
}

/** A small deterministic PRNG (mulberry32), so the corpus is the same on every run. */
const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;
const int = (random: () => number, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const podSuffix = (random: () => number) =>
  Math.floor(random() * 36 ** 5)
    .toString(36)
    .padStart(5, "0");

/** 50 reports: every incident kind for every service. */
export function distinctInvestigations(seed = 7): string[] {
  const random = seededRandom(seed);
  const texts: string[] = [];
  for (const incident of INCIDENTS) {
    for (const name of SERVICES) {
      const service: Service = {
        name,
        pod: `${name}-${int(random, 5, 9)}d${podSuffix(random)}`,
        ns: `team-${pick(random, ["red", "blue", "green", "gold", "teal"])}`,
        node: `worker-${int(random, 1, 40)}`,
        lang: pick(random, LANGS),
        zone: pick(random, ZONES),
        n: int(random, 2, 60),
        mem: pick(random, [256, 512, 1024, 2048]),
        pct: int(random, 20, 99),
        code: pick(random, [1, 2, 137, 139, 443, 5432, 8080]),
        rev: int(random, 2, 30),
      };
      texts.push(incident(service).join(" "));
    }
  }
  return texts;
}

/** The same incident reported again: sentences shuffled, pod name and one number changed, three typos. */
export function perturb(text: string, random: () => number): string {
  const sentences = text.match(/[^.]+\./g) ?? [text];
  for (let i = sentences.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [sentences[i], sentences[j]] = [sentences[j] as string, sentences[i] as string];
  }
  let out = sentences.map((s) => s.trim()).join(" ");
  out = out.replace(/-(\d)d[0-9a-z]{5}\b/g, () => `-${int(random, 5, 9)}d${podSuffix(random)}`);
  let changedNumber = false;
  out = out.replace(/\b\d{2,}\b/g, (digits) => {
    if (changedNumber || random() < 0.5) return digits;
    changedNumber = true;
    return String(Number(digits) + int(random, 1, 9));
  });
  const words = out.split(" ");
  for (let typos = 0; typos < 3; typos++) {
    const at = Math.floor(random() * words.length);
    const word = words[at] ?? "";
    if (word.length < 4) continue;
    const k = int(random, 1, word.length - 3);
    words[at] = word.slice(0, k) + word[k + 1] + word[k] + word.slice(k + 2);
  }
  return words.join(" ");
}
