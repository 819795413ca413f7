#!/usr/bin/env bash
# Provides a Kubernetes API server for the integration and end-to-end tests.
# Prints one line on stdout: KUBECONFIG=… or KUBEBUILDER_ASSETS=… (progress on stderr).
#
#   KUBECONFIG set           that cluster is used as it is;
#   KUBEBUILDER_ASSETS set   that directory of etcd + kube-apiserver binaries is used;
#   setup-envtest on PATH    it provides the binaries;
#   otherwise                etcd from Debian's etcd-server package and kube-apiserver built from Debian bookworm's
#                            kubernetes source package (Go 1.19, about 7 minutes on 2 cores, 1.3 GB of memory),
#                            cached in ~/.cache/kubernaut-audit/envtest/bin after the first time.
set -euo pipefail
STEP=kube
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

runs() { [ -x "$1" ] && "$1" --version >/dev/null 2>&1; }

if [ -n "${KUBECONFIG:-}" ]; then
  [ -r "$KUBECONFIG" ] || give_up "KUBECONFIG=$KUBECONFIG is not a readable file."
  echo "KUBECONFIG=$KUBECONFIG"
  exit 0
fi
if [ -n "${KUBEBUILDER_ASSETS:-}" ]; then
  runs "$KUBEBUILDER_ASSETS/etcd" && runs "$KUBEBUILDER_ASSETS/kube-apiserver" ||
    give_up "KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS has no working etcd and kube-apiserver."
  echo "KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS"
  exit 0
fi

BIN="$CACHE_DIR/envtest/bin"
if runs "$BIN/etcd" && runs "$BIN/kube-apiserver"; then
  echo "KUBEBUILDER_ASSETS=$BIN"
  exit 0
fi

if command -v setup-envtest >/dev/null 2>&1; then
  say "asking setup-envtest for the binaries"
  dir=$(setup-envtest use -p path) || give_up "setup-envtest use -p path failed"
  echo "KUBEBUILDER_ASSETS=$dir"
  exit 0
fi

how_else=(
  "Install and set one of:"
  "  KUBECONFIG=<path>          a cluster to test against (kind create cluster)"
  "  KUBEBUILDER_ASSETS=<dir>   etcd + kube-apiserver binaries, e.g. from setup-envtest:"
  "                             go install sigs.k8s.io/controller-runtime/tools/setup-envtest@latest"
  "                             export KUBEBUILDER_ASSETS=\$(setup-envtest use -p path)"
)
need_apt "Building etcd + kube-apiserver" "${how_else[@]}"

mkdir -p "$BIN"
exec 9>"$CACHE_DIR/envtest/.lock"
if ! flock -n 9; then
  say "another run is building into $BIN; waiting for it"
  flock -w 3600 9 || give_up "timed out waiting for $CACHE_DIR/envtest/.lock"
fi
if runs "$BIN/etcd" && runs "$BIN/kube-apiserver"; then
  echo "KUBEBUILDER_ASSETS=$BIN"
  exit 0
fi

# Package scripts must not start an etcd service on this machine.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee /usr/sbin/policy-rc.d >/dev/null
  "${SUDO[@]}" chmod 755 /usr/sbin/policy-rc.d
  on_exit '"${SUDO[@]}" rm -f /usr/sbin/policy-rc.d'
fi

if ! runs "$BIN/etcd"; then
  apt_install etcd-server
  install -m 0755 /usr/bin/etcd "$BIN/etcd"
  say "etcd: $("$BIN/etcd" --version | head -n 1)"
fi

if ! runs "$BIN/kube-apiserver"; then
  # Bookworm's kubernetes 1.20 source builds with bookworm's Go 1.19 once its vendored reflect2 1.0.1 (which
  # crashes under Go ≥ 1.18) is replaced by Debian's reflect2 1.0.2.
  apt_install golang-go golang-github-modern-go-reflect2-dev rsync make dpkg-dev
  reflect2=/usr/share/gocode/src/github.com/modern-go/reflect2
  [ -d "$reflect2" ] || give_up "$reflect2 is missing after installing golang-github-modern-go-reflect2-dev"
  work=$(mktemp -d "${TMPDIR:-/tmp}/kubernaut-kube-build.XXXXXX")
  on_exit "rm -rf '$work'"
  say "fetching Debian bookworm's kubernetes source package"
  apt_source kubernetes bookworm "$work"
  src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'kubernetes-*' | head -n 1)
  [ -n "$src" ] && [ -d "$src/vendor" ] || give_up "unexpected layout of the kubernetes source package in $work"
  vendored="$src/vendor/github.com/modern-go/reflect2"
  rm -rf "$vendored" && mkdir -p "$vendored"
  find "$reflect2" -maxdepth 1 -type f \( \( -name '*.go' ! -name '*_test.go' \) -o -name '*.s' -o -name LICENSE \) \
    -exec cp -t "$vendored" {} +
  log="$CACHE_DIR/envtest/kube-apiserver-build.log"
  say "building kube-apiserver from $(basename "$src") (about 7 minutes on 2 cores; log: $log)"
  mkdir -p "$work/home"
  build() {
    (cd "$src" && env -u GOFLAGS -u GOBIN -u GOROOT PATH="/usr/lib/go/bin:$PATH" CGO_ENABLED=0 GOPROXY=off \
      GOTOOLCHAIN=local HOME="$work/home" make WHAT=cmd/kube-apiserver) >"$log" 2>&1 9>&-
  }
  with_heartbeat "building kube-apiserver" build || { tail -n 30 "$log" >&2; give_up "the kube-apiserver build failed; log: $log"; }
  built=$(find "$src/_output" -type f -name kube-apiserver -perm -u+x | head -n 1)
  runs "$built" || give_up "the built kube-apiserver does not run"
  install -m 0755 "$built" "$BIN/kube-apiserver.tmp" && mv -f "$BIN/kube-apiserver.tmp" "$BIN/kube-apiserver"
  say "kube-apiserver: $("$BIN/kube-apiserver" --version)"
fi

echo "KUBEBUILDER_ASSETS=$BIN"
