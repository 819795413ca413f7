import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import * as crds from "@kubernaut/crds";
import ts from "typescript";
import { repoRoot } from "./kubectl.js";

/** One Kubernetes API permission a piece of code needs, as RBAC spells it. */
export interface ApiCall {
  group: string;
  /** Plural resource, with its subresource when there is one (`remediationrequests/status`). */
  resource: string;
  verb: string;
  /** `path:line` of the call, for the failure message. */
  at: string;
}

/** A call whose resource is the kind its caller passes in (an informer's list and watch, a finalizer patch). */
const GENERIC = "<kind>";

const resourceClientVerbs: Readonly<Record<string, { verb: string; subresource?: string }>> = {
  get: { verb: "get" },
  list: { verb: "list" },
  create: { verb: "create" },
  replace: { verb: "update" },
  delete: { verb: "delete" },
  mergePatch: { verb: "patch" },
  jsonPatch: { verb: "patch" },
  patchStatus: { verb: "patch", subresource: "status" },
};

/** The API group of each typed client-node API class; a class missing here fails the analysis by name. */
const groupOfApi: Readonly<Record<string, string>> = {
  CoreV1Api: "",
  AppsV1Api: "apps",
  CoordinationV1Api: "coordination.k8s.io",
};

const typedApiMethod =
  /^(read|list|create|replace|patch|delete|deleteCollection)(Namespaced)?([A-Z][A-Za-z]*?)(Status|ForAllNamespaces)?$/;
const typedApiVerbs: Readonly<Record<string, string>> = {
  read: "get",
  list: "list",
  create: "create",
  replace: "update",
  patch: "patch",
  delete: "delete",
  deleteCollection: "deletecollection",
};

function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith("s")) return `${lower}es`;
  if (lower.endsWith("y")) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

const crdKinds = Object.values(crds.kinds);
function crdKindNamed(kind: string) {
  const found = crdKinds.find((k) => k.kind === kind);
  if (!found) throw new Error(`${kind} is not a kind of @kubernaut/crds`);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && !file.endsWith(".d.ts"))
    .map((file) => join(dir, file))
    .sort();
}

const runtimeSrc = join(repoRoot, "packages", "controller-runtime", "src");
const runtimeModule = (name: string) => join(runtimeSrc, `${name}.ts`);
/** The runtime modules whose calls the apps make through the runtime's entry points. */
const runtimeModules = ["list-watch", "finalizers", "events", "leader-election"];

/**
 * Reads a controller's source with the TypeScript type checker and answers every Kubernetes API permission
 * its code needs: calls on a `ResourceClient<T>` (or on an interface a `ResourceClient<T>` is passed as),
 * calls on client-node's typed APIs, what the controller-runtime entry points it uses call (informers, event
 * recorder, leader election, finalizer helpers: read from the runtime's own source), and owner references
 * with `blockOwnerDeletion`, which need `update` on the owner's `finalizers` where the API server enforces
 * OwnerReferencesPermissionEnforcement.
 */
export function kubernetesApiCallsOf(apps: readonly string[]): Map<string, ApiCall[]> {
  const appFiles = new Map(apps.map((app) => [app, sourceFiles(join(repoRoot, "apps", app, "src"))]));
  for (const [app, files] of appFiles)
    if (files.length === 0) throw new Error(`apps/${app}/src has no sources`);
  // One program for all the apps (they share tsconfig.base.json): type-checking is the slow part.
  const configPath = join(repoRoot, "apps", apps[0] ?? "", "tsconfig.json");
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (!config) throw new Error(`cannot read ${configPath}`);
  const program = ts.createProgram([...[...appFiles.values()].flat(), ...runtimeModules.map(runtimeModule)], {
    ...config.options,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = (file: string) => {
    const found = program.getSourceFile(file);
    if (!found) throw new Error(`${file} is not in the program`);
    return found;
  };
  const at = (node: ts.Node) => {
    const file = node.getSourceFile();
    return `${relative(repoRoot, file.fileName)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  };

  const isDeclaredIn = (symbol: ts.Symbol | undefined, pathPart: string) =>
    symbol?.declarations?.some((d) => d.getSourceFile().fileName.includes(pathPart)) ?? false;
  const classOf = (type: ts.Type) => {
    const symbol = type.getSymbol() ?? type.aliasSymbol;
    return symbol ? { name: symbol.getName(), symbol } : undefined;
  };
  const isResourceClient = (type: ts.Type) => {
    const c = classOf(type);
    return c?.name === "ResourceClient" && isDeclaredIn(c.symbol, "controller-runtime");
  };

  /** The CRD kind of `ResourceClient<T>`: the literal type of `T["kind"]`, `"<kind>"` when `T` is generic. */
  const crdResourceOf = (type: ts.Type): { group: string; plural: string } => {
    const [object] = checker.getTypeArguments(type as ts.TypeReference);
    if (!object || object.isTypeParameter()) return { group: GENERIC, plural: GENERIC };
    const kindProperty = checker.getPropertyOfType(object, "kind");
    const kind = kindProperty && checker.getTypeOfSymbol(kindProperty);
    if (!kind?.isStringLiteral()) throw new Error(`cannot tell the kind of ${checker.typeToString(type)}`);
    const crd = crdKindNamed(kind.value);
    return { group: crd.group, plural: crd.plural };
  };

  /** A kind given as an expression of @kubernaut/crds (`kinds.aiAnalysis`, `remediationProcessingKind`). */
  const crdResourceOfExpression = (expression: ts.Expression): { group: string; plural: string } => {
    let value: unknown = crds;
    for (const part of expression.getText().split(".")) value = (value as Record<string, unknown>)?.[part];
    const kind = value as { group?: string; plural?: string } | undefined;
    if (!kind?.group || !kind.plural) {
      throw new Error(`${at(expression)}: cannot tell which kind \`${expression.getText()}\` is`);
    }
    return { group: kind.group, plural: kind.plural };
  };

  // Interfaces a ResourceClient<T> is handed over as (the reconcilers' ports): calls on them act on T.
  const ports = new Map<ts.Symbol, { group: string; plural: string }>();
  const findPorts = (node: ts.Node): void => {
    if (ts.isExpression(node) && isResourceClient(checker.getTypeAtLocation(node))) {
      const target = checker.getContextualType(node);
      const port = target && !isResourceClient(target) ? target.getSymbol() : undefined;
      if (port && port.getName() !== "__object") {
        ports.set(port, crdResourceOf(checker.getTypeAtLocation(node)));
      }
    }
    ts.forEachChild(node, findPorts);
  };
  for (const files of appFiles.values()) for (const file of files) findPorts(source(file));

  /** The permissions the calls in `file` need, `"<kind>"` where a runtime module is generic over the kind. */
  const callsIn = (file: string): ApiCall[] => {
    const calls: ApiCall[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const method = node.expression.name.text;
        const receiver = checker.getTypeAtLocation(node.expression.expression);
        const c = classOf(receiver);
        const port = c && ports.get(c.symbol);
        if ((isResourceClient(receiver) || port) && resourceClientVerbs[method]) {
          const { group, plural } = port ?? crdResourceOf(receiver);
          const { verb, subresource } = resourceClientVerbs[method];
          calls.push({
            group,
            resource: subresource ? `${plural}/${subresource}` : plural,
            verb,
            at: at(node),
          });
        } else if (c && isDeclaredIn(c.symbol, "@kubernetes/client-node")) {
          const parsed = typedApiMethod.exec(method);
          if (c.name === "Watch" && method === "watch") {
            calls.push({ group: GENERIC, resource: GENERIC, verb: "watch", at: at(node) });
          } else if (/^\w+V\d\w*Api$/.test(c.name) && parsed) {
            // client-node exports its ObjectCoreV1Api class as CoreV1Api.
            const api = c.name.replace(/^Object/, "");
            const group = groupOfApi[api];
            if (group === undefined) throw new Error(`${at(node)}: add the API group of ${api}`);
            const [, action = "", , kind = "", suffix] = parsed;
            const resource = pluralOf(kind) + (suffix === "Status" ? "/status" : "");
            calls.push({ group, resource, verb: typedApiVerbs[action] ?? action, at: at(node) });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source(file));
    return calls;
  };

  const ofKind = (calls: ApiCall[], kind: { group: string; plural: string }, where: string) =>
    calls.map((call) => ({
      ...call,
      group: call.group === GENERIC ? kind.group : call.group,
      resource: call.resource.replace(GENERIC, kind.plural),
      at: `${where} (${call.at})`,
    }));
  const informerCalls = callsIn(runtimeModule("list-watch"));
  const finalizerCalls = callsIn(runtimeModule("finalizers"));

  let calls: ApiCall[] = [];
  const visitApp = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = checker.getSymbolAtLocation(
        ts.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression,
      );
      const resolved =
        callee && callee.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(callee) : callee;
      const name = resolved?.getName();
      const [first] = node.arguments;
      if (resolved && isDeclaredIn(resolved, "controller-runtime") && first) {
        if (name === "informer")
          calls.push(...ofKind(informerCalls, crdResourceOfExpression(first), at(node)));
        if (name === "addController" && ts.isObjectLiteralExpression(first)) {
          for (const property of first.properties) {
            if (!ts.isPropertyAssignment(property)) continue;
            const key = property.name.getText();
            const elements = ts.isArrayLiteralExpression(property.initializer)
              ? [...property.initializer.elements]
              : [];
            // `watches: [{ kind, map }]`: the informer of each watched kind.
            const watchedKinds = elements.flatMap((watch) =>
              ts.isObjectLiteralExpression(watch)
                ? watch.properties
                    .filter(ts.isPropertyAssignment)
                    .filter((p) => p.name.getText() === "kind")
                    .map((p) => p.initializer)
                : [],
            );
            const kinds =
              key === "for"
                ? [property.initializer]
                : key === "owns"
                  ? elements
                  : key === "watches"
                    ? watchedKinds
                    : [];
            for (const kind of kinds)
              calls.push(...ofKind(informerCalls, crdResourceOfExpression(kind), at(node)));
          }
        }
        if (name === "eventRecorder")
          calls.push(...ofKind(callsIn(runtimeModule("events")), GENERIC_KIND, at(node)));
        if (name === "addFinalizer" || name === "removeFinalizer") {
          calls.push(...ofKind(finalizerCalls, crdResourceOf(checker.getTypeAtLocation(first)), at(node)));
        }
      }
    }
    if (ts.isNewExpression(node) && node.expression.getText() === "Manager") {
      // Leader election set in place, or by the kit's `managerOptionsFrom(config)` (LEADER_ELECTION, default on).
      const hasLeaderElection = (n: ts.Node): boolean =>
        (ts.isPropertyAssignment(n) && n.name.getText() === "leaderElection") ||
        (ts.isCallExpression(n) && n.expression.getText() === "managerOptionsFrom") ||
        ts.forEachChild(n, hasLeaderElection) === true;
      if (node.arguments?.some(hasLeaderElection)) {
        calls.push(...ofKind(callsIn(runtimeModule("leader-election")), GENERIC_KIND, at(node)));
      }
    }
    // The kit's AuditedManager builds its Manager from `managerOptionsFrom(config)`: leader election too.
    if (ts.isNewExpression(node) && node.expression.getText() === "AuditedManager") {
      calls.push(...ofKind(callsIn(runtimeModule("leader-election")), GENERIC_KIND, at(node)));
    }
    // An owner reference that blocks the owner's deletion: the creator needs update on <owner>/finalizers.
    if (ts.isObjectLiteralExpression(node)) {
      const property = (name: string) =>
        node.properties.find(
          (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === name,
        );
      const kind = property("kind")?.initializer;
      if (property("blockOwnerDeletion")?.initializer.kind === ts.SyntaxKind.TrueKeyword && kind) {
        const owner = ts.isPropertyAccessExpression(kind)
          ? crdResourceOfExpression(kind.expression)
          : crdKindNamed(kind.getText().replace(/^["']|["']$/g, ""));
        calls.push({
          group: owner.group,
          resource: `${owner.plural}/finalizers`,
          verb: "update",
          at: at(node),
        });
      }
    }
    ts.forEachChild(node, visitApp);
  };
  const byApp = new Map<string, ApiCall[]>();
  for (const [app, files] of appFiles) {
    calls = [];
    for (const file of files) {
      calls.push(...callsIn(file));
      visitApp(source(file));
    }
    const generic = calls.find((call) => call.resource.includes(GENERIC) || call.group === GENERIC);
    if (generic) throw new Error(`${generic.at}: a call whose kind could not be told`);
    byApp.set(app, calls);
  }
  return byApp;
}

/** For runtime modules that are not generic over a kind (events, leases): nothing to substitute. */
const GENERIC_KIND = { group: GENERIC, plural: GENERIC };
