#!/usr/bin/env bash
# `pnpm test:deps`: provisions everything the integration, end-to-end and browser tests need, and prints the
# settings that point the tests at it, one VARIABLE=value line each:
#   a Kubernetes API server   KUBECONFIG, or KUBEBUILDER_ASSETS (etcd + kube-apiserver, built once and cached)
#   PostgreSQL + pgvector     TEST_DATABASE_URL if set, else PG_BIN (a server the tests start throwaway)
#   Chromium                  CHROMIUM_PATH
# Cached in ~/.cache/kubernaut-audit (KUBERNAUT_CACHE_DIR) after the first run, which takes about 10 minutes on
# 2 cores. When something cannot be provisioned it stops with one message naming what to install or set.
#
#   scripts/test-deps.sh [kube|postgres|chromium]...   only those (all three by default)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)/test-deps"
[ $# -gt 0 ] || set -- kube postgres chromium
# One after the other: each may run apt-get, which takes a lock.
for what in "$@"; do
  case "$what" in
    kube | postgres | chromium) "$here/$what.sh" ;;
    *) echo "test-deps: unknown dependency '$what' (kube, postgres or chromium)" >&2; exit 2 ;;
  esac
done
