#!/usr/bin/env bash
# Regenerate the dependency license table in docs/install.md (between the
# `<!-- licenses:begin -->` and `<!-- licenses:end -->` lines) from cargo metadata.
#
#   scripts/licenses.sh            rewrite docs/install.md
#   scripts/licenses.sh --print    print the table only
#
# One row per package in Cargo.lock (what the vendored tarball ships), with the license
# expression its manifest declares and what it is used for:
#   binary  compiled into iam-evidence on at least one platform
#   build   runs only at build time (procedural macro, build script dependency)
#   tests   used only by the test suite (dev-dependency)
#   none    in Cargo.lock (and so vendored) but not compiled: a feature that is not enabled
# tests/it/distribution.rs fails when the table no longer lists exactly the packages of Cargo.lock.
# Needs cargo and python3; works offline once the crates are in the cargo cache.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
doc="$root/docs/install.md"
mode=write
case ${1:-} in
    "") ;;
    --print) mode=print ;;
    *)
        echo "licenses.sh: unknown argument: $1" >&2
        exit 1
        ;;
esac
command -v python3 > /dev/null || {
    echo "licenses.sh: python3 not found on PATH (needed to read cargo metadata's JSON)" >&2
    exit 1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
cargo metadata --locked --format-version 1 > "$work/metadata.json"
tree() {
    # Every package reachable over the given edge kinds, on any platform, as "name version".
    cargo tree --locked --target all --prefix none --format '{p}' "$@" |
        sed -E 's/ \(\*\)$//; s/ \(proc-macro\)$//; s/ \(.*\)$//; s/^([^ ]+) v/\1 /' | sort -u
}
tree -e normal,no-proc-macro > "$work/binary.txt"
tree -e normal,build > "$work/build.txt"
tree -e normal,build,dev > "$work/all.txt"

python3 - "$work" "$mode" "$doc" << 'EOF'
import json
import sys
from pathlib import Path

work, mode, doc = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
meta = json.loads((work / "metadata.json").read_text())
members = set(meta["workspace_members"])
sets = {name: set((work / f"{name}.txt").read_text().splitlines()) for name in ("binary", "build", "all")}


def role(key):
    if key in sets["binary"]:
        return "binary"
    if key in sets["build"]:
        return "build"
    if key in sets["all"]:
        return "tests"
    return "none"


rows = sorted(
    (p["name"], p["version"], p.get("license") or "(none declared: see license-file)", role(f"{p['name']} {p['version']}"))
    for p in meta["packages"]
    if p["id"] not in members
)
table = ["| crate | version | license | used for |", "|---|---|---|---|"]
table += [f"| {n} | {v} | {l} | {r} |" for n, v, l, r in rows]
counts = {r: sum(1 for row in rows if row[3] == r) for r in ("binary", "build", "tests", "none")}
summary = (
    f"{len(rows)} packages: {counts['binary']} compiled into the binary on some platform, "
    f"{counts['build']} build-time only, {counts['tests']} tests only, {counts['none']} not compiled."
)
block = "\n".join([summary, "", *table])
if mode == "print":
    print(block)
    sys.exit(0)
text = doc.read_text()
begin, end = "<!-- licenses:begin -->", "<!-- licenses:end -->"
if begin not in text or end not in text:
    sys.exit(f"licenses.sh: {doc} lacks the {begin} / {end} lines")
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
doc.write_text(f"{head}{begin}\n{block}\n{end}{tail}")
print(f"licenses.sh: wrote {len(rows)} rows to {doc}")
EOF
