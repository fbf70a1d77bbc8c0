#!/usr/bin/env bash
# Makes the Node major in .nvmrc (the one the locked Electron embeds) the `node` on PATH.
# Sourced by .ci/run; a developer can source it too:  source scripts/node-version.sh && use_project_node
# When the machine's node is older, Node is installed from the npm registry's `node`
# package, which ships the binary and its headers: npm_config_nodedir points native
# builds (better-sqlite3) at those headers, so nothing is fetched from anywhere else.

# "v24.1.0" -> 24
node_major() {
  local version="${1#v}"
  echo "${version%%.*}"
}

# The major the project is developed and tested on, from .nvmrc (one place).
project_node_major() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  node_major "$(tr -d '[:space:]' <"$root/.nvmrc")"
}

# 0 (true) when the node on PATH is missing or older than major $1.
needs_node_install() {
  local want="$1" have
  command -v node >/dev/null 2>&1 || return 0
  have="$(node_major "$(node -v)")"
  [ "$have" -lt "$want" ]
}

# The folder of the installed node-<os>-<arch> package under prefix $1 (bin/node, include/node).
node_package_dir() {
  local dir
  for dir in "$1"/node_modules/node/node_modules/node-*-*/; do
    if [ -x "$dir/bin/node" ]; then
      echo "${dir%/}"
      return 0
    fi
  done
  return 1
}

# Puts Node $major first on PATH, installing it into $NODE_INSTALL_DIR (default: a folder
# in the temp dir, reused by later runs) when the machine's node is older.
use_project_node() {
  local want prefix pkg
  want="$(project_node_major)"
  if ! needs_node_install "$want"; then
    echo "node $(node -v) (already >= $want)"
    return 0
  fi
  prefix="${NODE_INSTALL_DIR:-${TMPDIR:-/tmp}/creator-inbox-node$want}"
  pkg="$(node_package_dir "$prefix" || true)"
  if [ -z "$pkg" ] || [ "$(node_major "$("$pkg/bin/node" -v)")" != "$want" ]; then
    command -v npm >/dev/null 2>&1 || {
      echo "Node $want is needed and there is no npm to install it with" >&2
      return 1
    }
    echo "installing Node $want from the npm registry's node package into $prefix"
    rm -rf "$prefix"
    mkdir -p "$prefix"
    # The node package's install script fetches its platform package (node-<os>-<arch>),
    # also from the registry; the allowScripts entry is this folder's approval of it.
    printf '{"private":true,"allowScripts":{"node":true}}\n' >"$prefix/package.json"
    (cd "$prefix" && npm install --no-audit --no-fund "node@$want") || return 1
    pkg="$(node_package_dir "$prefix")" || {
      echo "the node package installed no node binary under $prefix" >&2
      return 1
    }
  fi
  export PATH="$pkg/bin:$PATH"
  export npm_config_nodedir="$pkg"
  echo "node $(node -v) (installed from the node package; headers in $pkg/include/node)"
}
