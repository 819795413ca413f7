#!/usr/bin/env bash
# Builds the container image of every app that serves a port (its package.json has "config": { "port": N }) from
# the repository's one Dockerfile (--build-arg APP=<app>, context = repository root) as kubernaut/<app>:<tag>, with
# docker or buildah, whichever is installed.
#
#   scripts/build-images.sh [--tag TAG] [--push] [--kind-load [CLUSTER]] [--dry-run] [APP ...]
#
#   --tag TAG          image tag; default $IMAGE_TAG, else "dev" (the tag deploy/overlays/dev uses)
#   --push             push each image after building it (set IMAGE_REPOSITORY to your registry)
#   --kind-load [NAME] load each image into the kind cluster NAME (default $KIND_CLUSTER, else "kind")
#   --dry-run          print the commands, one a line, and run nothing (no container engine needed)
#   APP ...            only these apps; default: every app with a port
#
# Environment: IMAGE_TAG, IMAGE_REPOSITORY (default "kubernaut"), CONTAINER_ENGINE (docker or buildah: use this
# one even when both are installed), KIND_CLUSTER.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
die() {
  printf 'build-images: %s\n' "$*" >&2
  exit 1
}
# The port an app serves (its package.json "config": { "port": N }), empty for an app without an image.
port_of() {
  [ -f "apps/$1/package.json" ] || return 0
  sed -n 's/^    "port": \([0-9][0-9]*\),\{0,1\}$/\1/p' "apps/$1/package.json"
}

tag=${IMAGE_TAG:-dev}
repository=${IMAGE_REPOSITORY:-kubernaut}
push=false
kind_cluster=""
dry_run=false
apps=()
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) [ $# -ge 2 ] || die "--tag needs a value"; tag=$2; shift 2 ;;
    --tag=*) tag=${1#--tag=}; shift ;;
    --push) push=true; shift ;;
    --kind-load)
      if [ $# -ge 2 ] && [ "${2#-}" = "$2" ] && [ -z "$(port_of "$2")" ]; then
        kind_cluster=$2; shift 2
      else
        kind_cluster=${KIND_CLUSTER:-kind}; shift
      fi
      ;;
    --kind-load=*) kind_cluster=${1#--kind-load=}; shift ;;
    --dry-run | --print) dry_run=true; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) usage >&2; die "unknown option $1" ;;
    *) apps+=("$1"); shift ;;
  esac
done
[[ $tag =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "invalid image tag: $tag"

# Every app with a port, so that a new app is built without editing this script.
if [ ${#apps[@]} -eq 0 ]; then
  for manifest in apps/*/package.json; do
    app=${manifest#apps/}
    app=${app%/package.json}
    [ -n "$(port_of "$app")" ] && apps+=("$app")
  done
  [ ${#apps[@]} -gt 0 ] || die "no app under apps/ has a config.port in its package.json"
fi
for app in "${apps[@]}"; do
  [ -n "$(port_of "$app")" ] || die "apps/$app is not an app with an image (no config.port in apps/$app/package.json)"
done

engine=${CONTAINER_ENGINE:-}
if [ -n "$engine" ]; then
  case "$engine" in docker | buildah) ;; *) die "CONTAINER_ENGINE must be docker or buildah, not $engine" ;; esac
  $dry_run || command -v "$engine" >/dev/null 2>&1 || die "CONTAINER_ENGINE=$engine is not installed"
elif command -v docker >/dev/null 2>&1 && { docker info >/dev/null 2>&1 || ! command -v buildah >/dev/null 2>&1; }; then
  # A docker CLI whose daemon does not answer is passed over for buildah when that is installed.
  engine=docker
elif command -v buildah >/dev/null 2>&1; then
  engine=buildah
elif $dry_run; then
  engine=docker
else
  die "neither docker nor buildah is installed: install one (e.g. apt-get install docker.io, or buildah), or pass --dry-run to see the commands"
fi
if [ -n "$kind_cluster" ] && ! $dry_run; then
  command -v kind >/dev/null 2>&1 || die "--kind-load needs kind (https://kind.sigs.k8s.io/docs/user/quick-start/#installation)"
fi

revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)

# Prints the command (shell-quoted) in a dry run, runs it otherwise.
run() {
  if $dry_run; then
    printf '%q' "$1"
    shift
    printf ' %q' "$@"
    printf '\n'
  else
    printf '+ %s\n' "$*" >&2
    "$@"
  fi
}

archives=""
cleanup() { if [ -n "$archives" ]; then rm -rf "$archives"; fi; }
trap cleanup EXIT

for app in "${apps[@]}"; do
  image="$repository/$app:$tag"
  # The OCI version label is the app's package version; the revision is the commit built.
  version=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "apps/$app/package.json")
  # buildah's `build` reads the same Dockerfile syntax, RUN --mount cache included.
  run "$engine" build -f Dockerfile -t "$image" --build-arg "APP=$app" --build-arg "PORT=$(port_of "$app")" \
    --build-arg "VERSION=$version" --build-arg "REVISION=$revision" .
  if $push; then run "$engine" push "$image"; fi
  if [ -n "$kind_cluster" ]; then
    if [ "$engine" = docker ]; then
      run kind load docker-image "$image" --name "$kind_cluster"
    else
      # kind loads from the docker daemon only; buildah hands it an archive instead.
      if [ -z "$archives" ] && ! $dry_run; then archives=$(mktemp -d "${TMPDIR:-/tmp}/kubernaut-images.XXXXXX"); fi
      archive="${archives:-/tmp}/$app.tar"
      run buildah push "$image" "docker-archive:$archive:$image"
      run kind load image-archive "$archive" --name "$kind_cluster"
    fi
  fi
done
$dry_run || printf 'build-images: built %s with %s, tag %s\n' "${apps[*]}" "$engine" "$tag" >&2
