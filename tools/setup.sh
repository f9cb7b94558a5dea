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
# slirp4netns gives network egress to images that ask for it (network = "egress"). Optional, and time-boxed:
# where apt cannot reach Debian (CI with only the package index) those images fail to start with the install
# hint, the egress tests skip, and later runs do not try again (the marker in .venv).
if ! command -v slirp4netns >/dev/null 2>&1 && [ ! -f .venv/.agb-no-slirp4netns ]; then
    log "installing slirp4netns (optional: network egress for the images that allow it)"
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
    if ! timeout 60 $sudo env DEBIAN_FRONTEND=noninteractive bash -c \
        'apt-get install -y -qq slirp4netns || { apt-get update -qq && apt-get install -y -qq slirp4netns; }' \
        >/dev/null 2>&1; then
        log "slirp4netns could not be installed: images with network = \"egress\" cannot start here"
        mkdir -p .venv && touch .venv/.agb-no-slirp4netns
    fi
fi

# Java (JShell, from a JDK) and R for run_code in the code images. Optional and time-boxed like slirp4netns:
# without them those languages are left out (run_code names what the image offers) and their tests skip.
# R's core (7 packages, 34 MB) installs in about 6 s from Debian's mirror; the JDK is usually there already.
runtimes=()
command -v jshell >/dev/null 2>&1 || runtimes+=(openjdk-17-jdk-headless)
command -v R >/dev/null 2>&1 || runtimes+=(r-base-core)
if [ "${#runtimes[@]}" -gt 0 ] && [ ! -f .venv/.agb-no-runtimes ]; then
    log "installing ${runtimes[*]} (optional: Java and R in run_code)"
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
    if ! timeout 180 $sudo env DEBIAN_FRONTEND=noninteractive bash -c \
        "apt-get install -y -qq --no-install-recommends ${runtimes[*]} || { apt-get update -qq && apt-get install -y -qq --no-install-recommends ${runtimes[*]}; }" \
        >/dev/null 2>&1; then
        log "${runtimes[*]} could not be installed: run_code offers no Java or R here"
        mkdir -p .venv && touch .venv/.agb-no-runtimes
    fi
fi

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
