# Shared helpers of the test-dependency scripts (sourced, not run).
# Progress goes to stderr; the one result line of each script goes to stdout.

CACHE_DIR="${KUBERNAUT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kubernaut-audit}"

# Commands run when the script exits, however it exits (scripts add to it instead of setting their own trap).
EXIT_COMMANDS=()
on_exit() { EXIT_COMMANDS+=("$1"); }
run_exit_commands() {
  local i
  for ((i = ${#EXIT_COMMANDS[@]} - 1; i >= 0; i--)); do eval "${EXIT_COMMANDS[i]}" || true; done
}
trap run_exit_commands EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say() { printf '[test-deps %s] %s\n' "${STEP:-}" "$*" >&2; }

# Stops with one message that says what to install or set, and exits non-zero.
give_up() {
  printf '\n[test-deps %s] cannot provision: %s\n' "${STEP:-}" "$1" >&2
  shift
  for line in "$@"; do printf '    %s\n' "$line" >&2; done
  exit 1
}

# Root (or passwordless sudo) and apt-get on a Debian-like system, or a message naming what is missing.
SUDO=()
need_apt() {
  local what=$1
  shift
  command -v apt-get >/dev/null 2>&1 || give_up "$what needs apt-get (Debian or Ubuntu), and this system has none." "$@"
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      SUDO=(sudo -n)
    else
      give_up "$what needs root (or passwordless sudo) to install Debian packages." "$@"
    fi
  fi
}

# apt-get without questions, waiting for the dpkg lock instead of failing on it.
apt_get() {
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=900 "$@"
}

APT_UPDATED=0
apt_update() {
  if [ "$APT_UPDATED" = 0 ]; then
    say "apt-get update"
    apt_get update >/dev/null || give_up "apt-get update failed (no network to the distribution's mirror?)"
    APT_UPDATED=1
  fi
}

# Prints those of the named packages that are not installed.
not_installed() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -qx 'install ok installed' || echo "$p"
  done
}

apt_install() {
  local missing
  mapfile -t missing < <(not_installed "$@")
  [ "${#missing[@]}" -gt 0 ] || return 0
  apt_update
  say "installing ${missing[*]}"
  apt_get install -y --no-install-recommends "${missing[@]}" >/dev/null || give_up "apt-get install ${missing[*]} failed"
}

# The mirror apt already uses for Debian's main archive (deb822 or one-line sources).
debian_mirror() {
  { # "URIs: http://…" or "deb [opts] http://… suite …": the first http(s) word of each line
    grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources || true
    grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list || true
  } | grep -o 'https\?://[^ ]*' | grep -v security | head -n 1 || true
}

# Downloads the Debian source package $1 of suite $2 into directory $3, through a deb-src entry that exists only
# while it runs.
apt_source() {
  local package=$1 suite=$2 into=$3 mirror list
  mirror=$(debian_mirror)
  [ -n "$mirror" ] || give_up "no Debian mirror found in /etc/apt/sources*: cannot fetch the $package source package"
  list=/etc/apt/sources.list.d/kubernaut-test-deps-$package.sources
  on_exit "remove_source_list '$list'"
  printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$mirror" "$suite" | "${SUDO[@]}" tee "$list" >/dev/null
  apt_get update >/dev/null || give_up "apt-get update with the $suite deb-src entry failed"
  (cd "$into" && apt_get source -o APT::Sandbox::User=root "$package" >"$into/source.log" 2>&1) ||
    { tail -n 20 "$into/source.log" >&2; give_up "apt-get source $package ($suite) failed"; }
  remove_source_list "$list"
}

remove_source_list() {
  [ -e "$1" ] || return 0
  "${SUDO[@]}" rm -f "$1"
  apt_get update >/dev/null 2>&1 || true
}

# Runs "$@" in the background, printing a line a minute until it ends; returns its status.
with_heartbeat() {
  local label=$1
  shift
  "$@" &
  local pid=$! started=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    sleep 5
    if (( (SECONDS - started) % 60 < 5 && SECONDS - started >= 60 )); then
      say "  still $label ($((SECONDS - started)) s)"
    fi
  done
  wait "$pid"
}
