#!/usr/bin/env bash
# Prove that the vendored source tarball builds with no network and no cargo cache.
#
#   scripts/verify-offline-build.sh [TARBALL] [--keep]
#       (default TARBALL: target/dist/iam-evidence-VERSION-vendored-src.tar.gz)
#
# Unpacks TARBALL into a new temporary folder, points CARGO_HOME at a new empty folder (so no
# registry cache can help), and runs
#     unshare -n -- cargo build --release --offline --locked
# (a network namespace with no interface: needs root or unprivileged user namespaces; without
# unshare the build still runs offline but the script says the network was not unplugged).
# Then runs the binary: --version (must name the tarball's commit) and an audit of
# samples/2025-Q2 (the quick start's run).
# --keep leaves the folder for inspection.
set -euo pipefail

die() {
    echo "verify-offline-build.sh: $*" >&2
    exit 1
}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tarball="" keep=0
for arg in "$@"; do
    case $arg in
        --keep) keep=1 ;;
        -h | --help)
            sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
            exit 0
            ;;
        *) tarball=$arg ;;
    esac
done
if [[ -z $tarball ]]; then
    version=$(awk -F'"' '/^\[/{p = ($0 == "[package]")} p && /^version *=/{print $2; exit}' "$root/Cargo.toml")
    tarball="$root/target/dist/iam-evidence-$version-vendored-src.tar.gz"
fi
[[ -f $tarball ]] || die "no tarball at $tarball (make it with scripts/vendor.sh)"
tarball=$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")
command -v cargo > /dev/null || die "cargo not found on PATH"

work=$(mktemp -d)
[[ $keep -eq 1 ]] || trap 'rm -rf "$work"' EXIT
mkdir "$work/src" "$work/cargo-home"
tar -xzf "$tarball" -C "$work/src"
src=$(find "$work/src" -mindepth 1 -maxdepth 1 -type d | head -n 1)
[[ -f $src/Cargo.toml && -d $src/vendor && -f $src/COMMIT ]] || die "$tarball lacks Cargo.toml, vendor/ or COMMIT"

# Keep the toolchain reachable: with rustup, the proxies read RUSTUP_HOME (default ~/.rustup),
# not CARGO_HOME, so an empty CARGO_HOME hides only the registry cache and config.
export RUSTUP_HOME=${RUSTUP_HOME:-$HOME/.rustup}
cargo_bin=$(command -v cargo)
isolate=()
if command -v unshare > /dev/null && unshare -n true 2> /dev/null; then
    isolate=(unshare -n --)
    network="network unplugged (unshare -n)"
else
    network="NETWORK NOT UNPLUGGED (unshare -n unavailable: not root, no user namespaces)"
fi

echo "verify-offline-build.sh: building $(basename "$tarball") in $src; CARGO_HOME empty; $network"
start=$(date +%s)
(cd "$src" && CARGO_HOME="$work/cargo-home" "${isolate[@]}" "$cargo_bin" build --release --offline --locked)
seconds=$(($(date +%s) - start))

bin="$src/target/release/iam-evidence"
commit=$(head -n 1 "$src/COMMIT")
version_line=$("$bin" --version)
echo "verify-offline-build.sh: $version_line"
[[ $version_line == *"commit ${commit:0:12}, built from the vendored source tarball"* ]] ||
    die "--version does not name the tarball's commit ${commit:0:12}"
"$bin" audit "$src/samples/2025-Q2" -o "$work/audit.xlsx" --quiet
echo "verify-offline-build.sh: OK: offline build in ${seconds}s ($network), binary $(du -h "$bin" | cut -f1), sample audit written"
[[ $keep -eq 0 ]] || echo "verify-offline-build.sh: kept $work"
