#!/usr/bin/env bash
# Copies the CRDs generated in packages/crds/manifests into deploy/base/crds, which kustomize can only read
# from inside deploy/. With --check it changes nothing and exits 1 when the two differ (CI runs that).
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=packages/crds/manifests
target_dir=deploy/base/crds

if [ "${1:-}" = "--check" ]; then
  if ! diff -r "$source_dir" "$target_dir"; then
    echo "deploy/base/crds differs from packages/crds/manifests: run scripts/sync-crds.sh and commit" >&2
    exit 1
  fi
  echo "deploy/base/crds matches packages/crds/manifests"
  exit 0
fi

rm -f "$target_dir"/*.yaml
cp "$source_dir"/*.yaml "$target_dir"/
echo "copied $(ls "$source_dir" | wc -l) CRDs into $target_dir"
