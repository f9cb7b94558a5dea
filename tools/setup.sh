#!/usr/bin/env bash
# Set up everything this project needs on a fresh Debian machine, idempotently:
#   system packages (bubblewrap for the sandboxes, python3-venv where missing, slirp4netns, a JDK and R if apt
#   can get them),
#   a virtual environment in .venv with the project installed in editable mode with all extras.
# Safe to run again: each step is skipped when already done. Needs root (or sudo) only to install
# system packages that are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else log "need root to run: $*"; exit 1; fi
}

apt_install() {
    log "installing system packages: $*"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq || true
    as_root apt-get install -y -qq "$@" >/dev/null
}

# A Python >= 3.11.
PY=""
for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        PY="$(command -v "$candidate")"; break
    fi
done
if [ -z "$PY" ]; then
    apt_install python3 python3-venv
    PY="$(command -v python3)"
fi

missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)
# Debian's python3 ships venv without ensurepip unless python3-venv is installed.
if ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    ver="$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    missing+=("python${ver}-venv")
fi
if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi
# optional_install SECONDS MARKER WHAT PACKAGE...: install packages the project can do without, time-boxed.
# Where apt cannot reach Debian (CI with only the package index) the feature is left out, its tests skip, and
# later runs do not try again (the marker in .venv).
optional_install() {
    local seconds="$1" marker=".venv/.agb-no-$2" what="$3"; shift 3
    [ ! -f "$marker" ] || return 0
    log "installing $* (optional: $what)"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
    if ! timeout "$seconds" $sudo env DEBIAN_FRONTEND=noninteractive bash -c \
        "apt-get install -y -qq --no-install-recommends $* || { apt-get update -qq && apt-get install -y -qq --no-install-recommends $*; }" \
        >/dev/null 2>&1; then
        log "$* could not be installed: no $what here"
        mkdir -p .venv && touch "$marker"
    fi
}

# slirp4netns gives network egress to images that ask for it (network = "egress"); without it those images fail
# to start with the install hint.
command -v slirp4netns >/dev/null 2>&1 || optional_install 60 slirp4netns "network egress for the images that allow it" slirp4netns

# Java (JShell, from a JDK) and R for run_code in the code images; without them those languages are left out
# (run_code names what the image offers). R's core (7 packages, 34 MB) installs in about 6 s from Debian's mirror;
# the JDK is usually there already.
runtimes=()
command -v jshell >/dev/null 2>&1 || runtimes+=(openjdk-17-jdk-headless)
command -v R >/dev/null 2>&1 || runtimes+=(r-base-core)
if [ "${#runtimes[@]}" -gt 0 ]; then optional_install 180 runtimes "Java and R in run_code" "${runtimes[@]}"; fi

stamp=.venv/.agb-setup-stamp
inputs_hash="$(cat pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ ! -x .venv/bin/python ]; then
    log "creating .venv with $PY"
    "$PY" -m venv .venv
fi
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$inputs_hash" ]; then
    log "installing the project and its dev, local and contract extras into .venv"
    .venv/bin/python -m pip install -q --upgrade pip >/dev/null
    .venv/bin/python -m pip install -q -e '.[dev]'
    echo "$inputs_hash" > "$stamp"
fi
log "ready: $(.venv/bin/python --version), bubblewrap $(bwrap --version | cut -d' ' -f2)"
