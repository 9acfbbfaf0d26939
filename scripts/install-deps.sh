#!/usr/bin/env bash
# Installs what baton needs from Debian's packages, only when something is missing,
# so that a second run costs a few dpkg queries and no network.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libboost-dev libspdlog-dev libfmt-dev catch2
  libzookeeper-st-dev
  zookeeper default-jre-headless default-jdk-headless
  docker-compose
  python3 procps iproute2
  spin
)
# Optional: installed when the distribution has them, and the build goes on without them.
#   prometheus-cpp-dev  baton_prometheus, the Prometheus adapter (docs/operations.md#metrics)
optional_packages=(prometheus-cpp-dev)
# Sanitizer runs build with clang when asked: BATON_WITH_CLANG=1.
if [[ "${BATON_WITH_CLANG:-0}" == 1 ]]; then packages+=(clang); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    # A package may be absent while the tool it provides is already on the machine
    # (the image ships Java and a compiler outside dpkg in some kinds).
    case "$p" in
      default-jre-headless) command -v java >/dev/null 2>&1 && continue ;;
      default-jdk-headless) command -v javac >/dev/null 2>&1 && continue ;;
      build-essential) command -v g++ >/dev/null 2>&1 && command -v make >/dev/null 2>&1 && continue ;;
      python3) command -v python3 >/dev/null 2>&1 && continue ;;
    esac
    missing+=("$p")
  fi
done

optional_missing=()
for p in "${optional_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    optional_missing+=("$p")
  fi
done

if ((${#missing[@]} == 0 && ${#optional_missing[@]} == 0)); then
  exit 0
fi

sudo_cmd=()
if [[ $(id -u) != 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive

# An optional package this distribution lacks (apt-cache knows it not, from the local lists:
# no network) is skipped, saying so; the build then leaves out what needs it.
install_optional() {
  local p
  for p in "${optional_missing[@]}"; do
    if apt-cache show "$p" >/dev/null 2>&1 &&
      "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$p" >/dev/null; then
      echo "install-deps: installed the optional $p" >&2
    else
      echo "install-deps: optional $p not available: building without it" >&2
    fi
  done
}

if ((${#missing[@]} == 0)); then
  install_optional
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
# Debian's libzookeeper-st-dev (the single-threaded client baton builds against) conflicts with
# libzookeeper-mt-dev: apt removes the one to install the other. Say so rather than let a
# project that needs the multi-threaded client find it gone.
if [[ " ${missing[*]} " == *" libzookeeper-st-dev "* ]] &&
  dpkg-query -W -f='${Status}' libzookeeper-mt-dev 2>/dev/null | grep -q "install ok installed"; then
  echo "install-deps: libzookeeper-st-dev conflicts with the installed libzookeeper-mt-dev:" \
    "apt removes libzookeeper-mt-dev to install it (reinstall it later with" \
    "'apt-get install libzookeeper-mt-dev', which removes libzookeeper-st-dev in turn)" >&2
fi
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_optional
