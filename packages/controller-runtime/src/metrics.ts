import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/**
 * The runtime's metrics, registered in the process's own Registry:
 * - `controller_runtime_reconcile_total{controller,result}`: reconciles by result (`success`, `requeue_after`, `error`);
 * - `controller_runtime_reconcile_errors_total{controller}`: reconciles that threw;
 * - `controller_runtime_reconcile_time_seconds{controller}`: reconcile duration histogram;
 * - `workqueue_depth{name}`: keys waiting in a controller's work queue;
 * - `leader_election_master_status{name}`: 1 while this process holds the named lease, else 0.
 */
export class RuntimeMetrics {
  readonly reconcileTotal: Counter<"controller" | "result">;
  readonly reconcileErrors: Counter<"controller">;
  readonly reconcileTime: Histogram<"controller">;
  readonly workqueueDepth: Gauge<"name">;
  readonly leaderStatus: Gauge<"name">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.reconcileTotal = new Counter({
      name: "controller_runtime_reconcile_total",
      help: "Total reconciles per controller, by result",
      labelNames: ["controller", "result"],
      registers,
    });
    this.reconcileErrors = new Counter({
      name: "controller_runtime_reconcile_errors_total",
      help: "Total reconciles per controller that failed",
      labelNames: ["controller"],
      registers,
    });
    this.reconcileTime = new Histogram({
      name: "controller_runtime_reconcile_time_seconds",
      help: "Duration of reconciles per controller",
      labelNames: ["controller"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.workqueueDepth = new Gauge({
      name: "workqueue_depth",
      help: "Keys waiting in the work queue",
      labelNames: ["name"],
      registers,
    });
    this.leaderStatus = new Gauge({
      name: "leader_election_master_status",
      help: "1 while this process holds the lease, else 0",
      labelNames: ["name"],
      registers,
    });
  }
}
