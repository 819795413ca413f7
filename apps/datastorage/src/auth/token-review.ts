import { createHash } from "node:crypto";
import { AuthenticationV1Api, AuthorizationV1Api, type KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import {
  type AccessVerb,
  type Authorizer,
  authUnavailable,
  forbidden,
  legalHoldVerb,
  unauthorized,
} from "./authorizer.js";

/** Who a token belongs to, as a TokenReview tells. */
export interface ReviewedUser {
  username: string;
  uid?: string | undefined;
  groups?: string[] | undefined;
  extra?: Record<string, string[]> | undefined;
}

/** The two Kubernetes reviews the authorizer needs; the real one calls the API server. */
export interface AccessReviews {
  /** The token's user, or null when the API server does not authenticate it. */
  reviewToken(token: string): Promise<ReviewedUser | null>;
  /**
   * Whether `user` may do `verb` on the `data-storage` service; for a legal-hold verb, both `create` on the
   * service and the verb on its `legal-holds` subresource.
   */
  reviewAccess(user: ReviewedUser, verb: AccessVerb): Promise<boolean>;
}

export interface TokenReviewOptions {
  reviews: AccessReviews;
  /** How long a decision is reused; default 10 s. */
  ttlMs?: number;
  /** At most this many decisions are cached; the oldest go first. Default 1000. */
  maxEntries?: number;
  now?: () => number;
  logger?: Logger;
}

interface Decision {
  user: string | null;
  allowed: boolean;
  expires: number;
}

/**
 * AUTH_MODE=tokenreview: the API server authenticates the bearer token (TokenReview) and RBAC decides
 * (SubjectAccessReview: `get` for reads, `create` for writes, on services/data-storage; legal holds also
 * `create`/`delete` on services/data-storage/legal-holds). Decisions are cached
 * briefly by the token's hash, so a busy publisher costs two API calls per TTL, not per request.
 */
export function createTokenReviewAuthorizer(options: TokenReviewOptions): Authorizer {
  const ttl = options.ttlMs ?? 10_000;
  const max = options.maxEntries ?? 1000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, Decision>();

  const decide = async (token: string, verb: AccessVerb): Promise<Decision> => {
    const key = `${verb}:${createHash("sha256").update(token).digest("base64")}`;
    const cached = cache.get(key);
    if (cached && cached.expires > now()) return cached;
    let decision: Decision;
    try {
      const user = await options.reviews.reviewToken(token);
      const allowed = user ? await options.reviews.reviewAccess(user, verb) : false;
      decision = { user: user?.username ?? null, allowed, expires: now() + ttl };
      // Once per decision, not per request: a known caller refused is a deployment's RBAC to fix. (Tokens the
      // API server does not know are not logged: anyone can send those.)
      if (user && !allowed) {
        options.logger?.warn(
          { user: user.username, verb, resource: resourceOf(verb) },
          "access refused by RBAC",
        );
      }
    } catch (err) {
      options.logger?.error({ err }, "TokenReview or SubjectAccessReview failed");
      throw authUnavailable("the Kubernetes API server could not review the token");
    }
    cache.delete(key);
    cache.set(key, decision);
    while (cache.size > max) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
    return decision;
  };

  return {
    async authorize(token, verb) {
      if (!token) throw unauthorized("a bearer token is required (Authorization: Bearer <token>)");
      const decision = await decide(token, verb);
      if (decision.user === null) throw unauthorized("the bearer token is not valid");
      if (!decision.allowed) {
        throw forbidden(`${decision.user} may not ${describe(verb)}`);
      }
      return decision.user;
    },
  };
}

function resourceOf(verb: AccessVerb): string {
  return legalHoldVerb(verb) ? "services/data-storage/legal-holds" : "services/data-storage";
}

/** `create services/data-storage`, or what a legal hold needs on top of it. */
function describe(verb: AccessVerb): string {
  const hold = legalHoldVerb(verb);
  if (!hold) return `${verb} services/data-storage`;
  const what = hold === "create" ? "placing" : "releasing";
  return `${hold} services/data-storage/legal-holds (${what} a legal hold needs create on services/data-storage and ${hold} on its legal-holds subresource, e.g. the ClusterRoles kubernaut-datastorage-writer and kubernaut-datastorage-legal-hold)`;
}

/** The reviews against a real API server, for the service `data-storage` in `namespace`. */
export function kubernetesAccessReviews(kubeConfig: KubeConfig, namespace: string): AccessReviews {
  const authn = kubeConfig.makeApiClient(AuthenticationV1Api);
  const authz = kubeConfig.makeApiClient(AuthorizationV1Api);
  return {
    async reviewToken(token) {
      const review = await authn.createTokenReview({
        body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenReview", spec: { token } },
      });
      const user = review.status?.user;
      if (!review.status?.authenticated || !user?.username) return null;
      return { username: user.username, uid: user.uid, groups: user.groups, extra: user.extra };
    },
    async reviewAccess(user, verb) {
      const allowed = async (attributes: { verb: string; subresource?: string }) => {
        const review = await authz.createSubjectAccessReview({
          body: {
            apiVersion: "authorization.k8s.io/v1",
            kind: "SubjectAccessReview",
            spec: {
              user: user.username,
              uid: user.uid,
              groups: user.groups,
              extra: user.extra,
              resourceAttributes: { ...attributes, resource: "services", name: "data-storage", namespace },
            },
          },
        });
        return review.status?.allowed === true;
      };
      const hold = legalHoldVerb(verb);
      if (!hold) return allowed({ verb });
      return (await allowed({ verb: "create" })) && allowed({ verb: hold, subresource: "legal-holds" });
    },
  };
}
