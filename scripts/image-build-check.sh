#!/usr/bin/env bash
# Runs what the Dockerfile does for each app (--build-arg APP=<app>), without a container engine, and starts the result
# as the image's entry point does (node . in the deployed directory):
#   turbo prune --docker → pnpm install --frozen-lockfile (package.json files only) → copy sources → build
#   → pnpm deploy --prod → start the entrypoint from the deployed directory with NODE_ENV=production.
# The datastorage image must come up ready on its embedded database, serve /docs and the explorer at /ui/, and exit 0
# on SIGTERM; a controller image must load its whole production module graph and refuse a bad setting naming the variable.
#
#   scripts/image-build-check.sh [APP ...]     default: every app
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
apps=("$@")
[ ${#apps[@]} -gt 0 ] || apps=(datastorage remediation-orchestrator remediation-processor ai-analysis)
turbo="$root/node_modules/.bin/turbo"
work=$(mktemp -d "${TMPDIR:-/tmp}/image-build-check.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

log() { printf '[image-build-check] %s\n' "$*"; }

# The build context: tracked files as they are in the working tree (what `docker build .` sends, less .dockerignore).
mkdir -p "$work/context"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar -c --ignore-failed-read 2>/dev/null) | tar -x -C "$work/context"

check_datastorage() {
  local app_dir=$1 port
  port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  (cd "$app_dir" && NODE_ENV=production HOST=127.0.0.1 PORT="$port" DATA_DIR="$work/data" MIGRATIONS_DIR="$app_dir/migrations" \
    exec node . >"$work/datastorage.log" 2>&1) &
  server_pid=$!
  for _ in $(seq 1 240); do
    if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/datastorage.log"; log "datastorage exited before it was ready"; return 1; }
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$work/datastorage.log"; log "datastorage never became ready"; return 1; }
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null
  # /docs comes from production dependencies only (swagger-ui-dist), with no network.
  curl -fsS "http://127.0.0.1:$port/docs" | grep -q 'docs/swagger-ui-bundle.js' || { log "/docs does not load its own Swagger UI"; return 1; }
  curl -fsS "http://127.0.0.1:$port/docs/swagger-ui-bundle.js" | grep -q SwaggerUIBundle || { log "/docs/swagger-ui-bundle.js is not served"; return 1; }
  # The Audit explorer ships inside the image: the service serves its build at /ui/.
  curl -fsS "http://127.0.0.1:$port/ui/" | grep -q 'id="view"' || { log "datastorage does not serve the explorer at /ui/"; return 1; }
  kill -TERM "$server_pid"
  local status=0
  wait "$server_pid" || status=$?
  server_pid=""
  [ "$status" = 0 ] || { cat "$work/datastorage.log"; log "datastorage exited $status on SIGTERM"; return 1; }
  log "datastorage: ready on its embedded database, /docs and /ui/ served, exited 0 on SIGTERM"
}

check_controller() {
  local app=$1 app_dir=$2 out status=0
  out=$(cd "$app_dir" && NODE_ENV=production LOG_LEVEL=loud timeout 60 node . 2>&1) || status=$?
  if [ "$status" = 0 ] || ! grep -q LOG_LEVEL <<<"$out"; then
    printf '%s\n' "$out"
    log "$app: expected a refusal naming LOG_LEVEL (exit $status)"
    return 1
  fi
  log "$app: production module graph loads; a bad LOG_LEVEL is refused by name"
}

for app in "${apps[@]}"; do
  log "== $app"
  src="$work/prune-$app"
  cp -a "$work/context" "$src"
  (cd "$src" && "$turbo" prune "@kubernaut/$app" --docker >/dev/null)
  build="$work/build-$app"
  mkdir -p "$build"
  cp -a "$src/out/json/." "$build/"
  (cd "$build" && pnpm install --frozen-lockfile --prefer-offline --reporter=silent)
  cp -a "$src/out/full/." "$build/"
  cp "$src/tsconfig.base.json" "$build/"
  (cd "$build" && pnpm exec turbo run build --filter="@kubernaut/$app..." --output-logs=errors-only >/dev/null)
  deployed="$work/app-$app"
  (cd "$build" && pnpm --filter "@kubernaut/$app" deploy --legacy --prod "$deployed" --reporter=silent)
  cp -a "$work/context/migrations" "$deployed/migrations"
  if [ "$app" = datastorage ]; then
    check_datastorage "$deployed"
  else
    check_controller "$app" "$deployed"
  fi
done
log "all images check out: ${apps[*]}"
