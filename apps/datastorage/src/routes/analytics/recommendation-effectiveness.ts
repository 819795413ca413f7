import { storableText } from "@kubernaut/schema";
import { sql } from "drizzle-orm";
import { DAY_MS, defineAnalytics } from "./define.js";
import { backFrom, withinWindow } from "./window.js";

/**
 * Seed 000's historical success rate per action, which the AI analysis controller reads back (per action and
 * environment) to rank its recommendations. Beside the seed's averages of what the model predicted, it gives
 * the observed outcome: of the remediations whose workflow ran the action (`workflow_crd_name` =
 * `workflow_execution_name`), the share that completed rather than failed, and how many that share is of.
 *
 * A remediation's row is created before its analysis, and a remediation ends well within a day, so its row is
 * looked for from one day before the window: both sides of the join are then index range scans of the
 * window, and the cost follows the window, not the size of `remediation_audit`.
 */
export const recommendationEffectiveness = defineAnalytics({
  name: "recommendation-effectiveness",
  summary: "Historical success rate by recommended action (seed 000), with observed remediation outcomes",
  defaultSpanMs: 7 * DAY_MS,
  params: {
    environment: storableText()
      .min(1, { error: "must not be empty" })
      .max(50, { error: "at most 50 characters" })
      .optional()
      .meta({ description: "Only analyses of this environment" }),
  },
  query: ({ window, limit, params }) => {
    const remediationWindow = {
      ...window,
      since: window.since === null ? null : backFrom(Date.parse(window.since), DAY_MS),
    };
    const analyses = (alias: string) => {
      const column = (name: string) => sql.raw(`${alias}.${name}`);
      return sql.join(
        [
          sql`${column("completion_status")} = 'completed'`,
          withinWindow(column("created_at"), window),
          ...(params.environment === undefined
            ? []
            : [sql`${column("environment")} = ${params.environment}`]),
        ],
        sql` AND `,
      );
    };
    return sql`
      WITH seed AS (
        SELECT
          top_recommendation,
          AVG(effectiveness_probability) as avg_effectiveness,
          AVG(historical_success_rate) as avg_historical_success,
          COUNT(*) as total_recommendations
        FROM ai_analysis_audit a
        WHERE ${analyses("a")}
        GROUP BY top_recommendation
      ),
      observed AS (
        SELECT
          a.top_recommendation,
          COUNT(*) FILTER (WHERE r.overall_phase = 'completed') AS successes,
          COUNT(*) AS sample_count
        FROM ai_analysis_audit a
        JOIN remediation_audit r ON r.workflow_execution_name = a.workflow_crd_name
        WHERE ${analyses("a")} AND r.overall_phase IN ('completed', 'failed')
          AND ${withinWindow(sql`r.created_at`, remediationWindow)}
        GROUP BY a.top_recommendation
      )
      SELECT
        seed.top_recommendation,
        seed.avg_effectiveness,
        seed.avg_historical_success,
        seed.total_recommendations,
        observed.successes::float8 / observed.sample_count AS success_rate,
        COALESCE(observed.sample_count, 0) AS sample_count
      FROM seed
      LEFT JOIN observed ON observed.top_recommendation IS NOT DISTINCT FROM seed.top_recommendation
      ORDER BY seed.avg_effectiveness DESC, seed.top_recommendation
      LIMIT ${limit}`;
  },
});
