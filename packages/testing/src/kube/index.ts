export { type CustomResourceDefinitionLike, installCustomResourceDefinitions } from "./crds.js";
export {
  type KubeTestEnvironment,
  type KubeTestEnvironmentOptions,
  kubeGlobalSetup,
  missingKubernetesMessage,
  startKubeTestEnvironment,
  testKubeConfig,
} from "./environment.js";
export { type EnvtestOptions, type EnvtestServer, startEnvtest } from "./envtest.js";
export { statusCodeOf } from "./errors.js";
export { createNamespace, createTestNamespace, deleteNamespace, type TestNamespace } from "./namespace.js";
export { createOomKilledWorkload } from "./workloads.js";
