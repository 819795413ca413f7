import { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Authorizer } from "./authorizer.js";
import { createStaticTokenAuthorizer } from "./static-token.js";
import { createTokenReviewAuthorizer, kubernetesAccessReviews } from "./token-review.js";

export { type AccessVerb, type Authorizer, legalHoldVerb } from "./authorizer.js";
export { createStaticTokenAuthorizer } from "./static-token.js";
export {
  type AccessReviews,
  createTokenReviewAuthorizer,
  kubernetesAccessReviews,
  type ReviewedUser,
} from "./token-review.js";

/**
 * The authorizer AUTH_MODE selects, or null for `none` (loopback only: config refuses `none` elsewhere).
 * TokenReview mode talks to the cluster the pod runs in, or to `$KUBECONFIG` outside one.
 */
export function createAuthorizer(config: Config, logger: Logger): Authorizer | null {
  switch (config.AUTH_MODE) {
    case "none":
      return null;
    case "token":
      return createStaticTokenAuthorizer({
        token: config.AUTH_TOKEN,
        tokenFile: config.AUTH_TOKEN_FILE,
        legalHoldToken: config.LEGAL_HOLD_TOKEN,
        legalHoldTokenFile: config.LEGAL_HOLD_TOKEN_FILE,
        logger,
      });
    case "tokenreview": {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromDefault();
      return createTokenReviewAuthorizer({
        reviews: kubernetesAccessReviews(kubeConfig, config.POD_NAMESPACE),
        logger,
      });
    }
  }
}
