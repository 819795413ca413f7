import { execFile } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { access, chmod, constants, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { freeLoopbackPort } from "./ports.js";
import { isRunning, startProcess, stopProcess, tailOf } from "./processes.js";

export interface EnvtestOptions {
  /** Directory holding the `etcd` and `kube-apiserver` binaries; defaults to `$KUBEBUILDER_ASSETS`. */
  assetsDir?: string;
  /** Where to write the kubeconfig; defaults to `kubeconfig` in the server's temp dir. */
  kubeconfigPath?: string;
  /** How long to wait for `/readyz`; default 60 s. */
  startTimeoutMs?: number;
  /** Extra kube-apiserver flags, e.g. `--watch-cache=false`. */
  apiServerArgs?: string[];
}

/** A private etcd + kube-apiserver on loopback. */
export interface EnvtestServer {
  /** `https://127.0.0.1:<port>` */
  server: string;
  kubeconfigPath: string;
  /** Bearer token of `envtest-admin` (group `system:masters`). */
  token: string;
  /** PEM of the CA that signed the serving certificate. */
  caPem: string;
  /** `http://127.0.0.1:<port>` of etcd. */
  etcdUrl: string;
  /** Stops kube-apiserver then etcd and deletes every file it wrote. */
  stop(): Promise<void>;
}

const execFileAsync = promisify(execFile);

/**
 * Starts etcd and kube-apiserver the way controller-runtime's envtest does: random loopback ports,
 * a static token for a `system:masters` user, a serving certificate the apiserver generates itself,
 * a fresh service-account signing key, then waits for `/readyz` and writes a kubeconfig.
 */
export async function startEnvtest(options: EnvtestOptions = {}): Promise<EnvtestServer> {
  const assets = options.assetsDir ?? process.env.KUBEBUILDER_ASSETS;
  if (!assets) throw new Error("startEnvtest needs assetsDir or KUBEBUILDER_ASSETS");
  const etcd = join(assets, "etcd");
  const apiServer = join(assets, "kube-apiserver");
  for (const binary of [etcd, apiServer]) {
    await access(binary, constants.X_OK).catch(() => {
      throw new Error(`${binary} is missing or not executable (KUBEBUILDER_ASSETS=${assets})`);
    });
  }

  const dir = await mkdtemp(join(tmpdir(), "kubernaut-envtest-"));
  const token = randomBytes(24).toString("hex");
  await writeFile(join(dir, "tokens.csv"), `${token},envtest-admin,envtest-admin,"system:masters"\n`, {
    mode: 0o600,
  });
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  await writeFile(join(dir, "sa.key"), privateKey, { mode: 0o600 });
  const legacyFlags = (await apiServerMinorVersion(apiServer)) < 24 ? ["--insecure-port=0"] : [];
  const timeoutMs = options.startTimeoutMs ?? 60_000;

  for (let attempt = 1; ; attempt++) {
    const ports = {
      client: await freeLoopbackPort(),
      peer: await freeLoopbackPort(),
      api: await freeLoopbackPort(),
    };
    const etcdUrl = `http://127.0.0.1:${ports.client}`;
    const peerUrl = `http://127.0.0.1:${ports.peer}`;
    const etcdLog = join(dir, "etcd.log");
    const apiLog = join(dir, "kube-apiserver.log");
    await rm(join(dir, "etcd"), { recursive: true, force: true });
    await rm(join(dir, "certs"), { recursive: true, force: true });
    // Started together: the apiserver's CPU-bound set-up overlaps etcd's start, and it retries etcd.
    const etcdProcess = startProcess(
      etcd,
      [
        "--name=envtest",
        `--data-dir=${join(dir, "etcd")}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=envtest=${peerUrl}`,
        "--initial-cluster-state=new",
      ],
      etcdLog,
    );
    const apiProcess = startProcess(
      apiServer,
      [
        `--etcd-servers=${etcdUrl}`,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        `--secure-port=${ports.api}`,
        ...legacyFlags,
        `--cert-dir=${join(dir, "certs")}`,
        `--token-auth-file=${join(dir, "tokens.csv")}`,
        "--authorization-mode=RBAC",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        `--service-account-key-file=${join(dir, "sa.key")}`,
        `--service-account-signing-key-file=${join(dir, "sa.key")}`,
        "--service-cluster-ip-range=10.0.0.0/24",
        "--allow-privileged=true",
        // No controller-manager creates "default" service accounts, so pods would be rejected.
        "--disable-admission-plugins=ServiceAccount",
        // A 127.0.0.1 endpoint for the "kubernetes" service is invalid and would be retried forever.
        "--endpoint-reconciler-type=none",
        "--profiling=false",
        ...(options.apiServerArgs ?? []),
      ],
      apiLog,
    );
    const stopBoth = async () => {
      await stopProcess(apiProcess);
      await stopProcess(etcdProcess);
    };

    const server = `https://127.0.0.1:${ports.api}`;
    const deadline = Date.now() + timeoutMs;
    let failure: string | undefined;
    while (!failure) {
      if (!isRunning(etcdProcess) || !isRunning(apiProcess)) {
        const [etcdTail, apiTail] = [await tailOf(etcdLog), await tailOf(apiLog)];
        if (`${etcdTail}${apiTail}`.includes("address already in use") && attempt < 3) break;
        failure = `${isRunning(etcdProcess) ? "kube-apiserver" : "etcd"} exited during start-up\n--- etcd.log\n${etcdTail}\n--- kube-apiserver.log\n${apiTail}`;
      } else if ((await readyz(server, token)) === "ok") {
        const caPem = lastCertificate(await readFile(join(dir, "certs", "apiserver.crt"), "utf8"));
        const kubeconfigPath = resolve(options.kubeconfigPath ?? join(dir, "kubeconfig"));
        await writeKubeconfig(kubeconfigPath, server, caPem, token);
        return {
          server,
          kubeconfigPath,
          token,
          caPem,
          etcdUrl,
          stop: async () => {
            await stopBoth();
            await rm(kubeconfigPath, { force: true });
            await rm(dir, { recursive: true, force: true });
          },
        };
      } else if (Date.now() > deadline) {
        failure = `kube-apiserver not ready after ${timeoutMs} ms\n--- kube-apiserver.log\n${await tailOf(apiLog)}`;
      } else {
        await new Promise((done) => setTimeout(done, 100));
      }
    }
    await stopBoth();
    if (failure) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`envtest: ${failure}`);
    }
  }
}

async function apiServerMinorVersion(binary: string): Promise<number> {
  const { stdout } = await execFileAsync(binary, ["--version"]);
  const minor = /v1\.(\d+)\./.exec(stdout)?.[1];
  if (!minor) throw new Error(`cannot read the version of ${binary}: "${stdout.trim()}"`);
  return Number(minor);
}

/** The body of `/readyz`, or the error; the serving certificate is not known yet, so it is not verified here. */
function readyz(server: string, token: string): Promise<string> {
  return new Promise((done) => {
    const req = request(
      `${server}/readyz`,
      { headers: { Authorization: `Bearer ${token}` }, rejectUnauthorized: false, timeout: 2_000 },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => done(body));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (error) => done(error.message));
    req.end();
  });
}

/** The generated serving certificate file ends with the CA that signed it. */
function lastCertificate(pem: string): string {
  const certificates = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  const last = certificates?.at(-1);
  if (!last) throw new Error("the apiserver wrote no certificate to certs/apiserver.crt");
  return `${last}\n`;
}

async function writeKubeconfig(path: string, server: string, caPem: string, token: string): Promise<void> {
  const kubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: envtest
  cluster:
    server: ${server}
    certificate-authority-data: ${Buffer.from(caPem).toString("base64")}
users:
- name: envtest-admin
  user:
    token: ${token}
contexts:
- name: envtest
  context:
    cluster: envtest
    user: envtest-admin
    namespace: default
current-context: envtest
`;
  const temporary = `${path}.tmp.${process.pid}`;
  await writeFile(temporary, kubeconfig, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}
