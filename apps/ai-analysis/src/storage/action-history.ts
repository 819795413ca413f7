import type { Logger } from "@kubernaut/controller-runtime";
import type { RecommendationEffectivenessResponse } from "@kubernaut/schema/contracts";
import type { RequestOptions } from "@kubernaut/storage-client";
import type { AnalysisMetrics } from "../metrics.js";
import type { ActionHistory, ActionHistoryByAction } from "../recommending/ranking.js";

/** The analytics endpoint the history comes from (a `StorageClient` fits). */
export interface RecommendationEffectivenessSource {
  analytics(
    name: "recommendation-effectiveness",
    params: { environment?: string; window?: string },
    options?: RequestOptions,
  ): Promise<RecommendationEffectivenessResponse>;
}

export interface ActionHistoryOptions {
  timeoutMs: number;
  /** How far back outcomes count, e.g. `30d`. */
  window: string;
  logger: Logger;
  metrics: AnalysisMetrics;
}

/**
 * The feedback loop: how each action fared in past remediations of an environment, from the storage service's
 * analytics. Unreachable storage yields no history, and ranking falls back to the investigator's estimates.
 */
export class ActionHistoryReader {
  constructor(
    private readonly storage: RecommendationEffectivenessSource,
    private readonly options: ActionHistoryOptions,
  ) {}

  async historyFor(environment: string): Promise<ActionHistoryByAction> {
    try {
      const answer = await this.storage.analytics(
        "recommendation-effectiveness",
        { environment, window: this.options.window },
        { timeoutMs: this.options.timeoutMs },
      );
      const history = new Map<string, ActionHistory>();
      for (const row of answer.rows) {
        if (row.top_recommendation === null || row.success_rate === null || row.sample_count === 0) continue;
        history.set(row.top_recommendation, { successRate: row.success_rate, sampleCount: row.sample_count });
      }
      return history;
    } catch (error) {
      this.options.metrics.storageFailures.inc({ operation: "historical_success_rates" });
      this.options.logger.warn(
        { err: error, environment },
        "historical success rates unavailable; ranking on estimates",
      );
      return new Map();
    }
  }
}
