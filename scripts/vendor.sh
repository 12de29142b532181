#!/usr/bin/env bash
# Make the vendored source tarball: everything needed to build iam-evidence on a machine that
# has only the Rust toolchain and no network.
#
#   scripts/vendor.sh [--out DIR]        (default DIR: target/dist)
#
# Writes DIR/iam-evidence-VERSION-vendored-src.tar.gz holding iam-evidence-VERSION/ with
#   - the sources of the current commit, exactly (git archive HEAD: uncommitted changes are
#     not included, and a warning says so);
#   - vendor/: every crate in Cargo.lock, for every platform (cargo vendor, with the
#     .cargo-checksum.json files cargo verifies at build time);
#   - .cargo/config.toml: replaces crates.io with vendor/;
#   - COMMIT: the commit hash, which build.rs puts in `iam-evidence --version`.
# Then, on the offline machine:
#   tar -xzf iam-evidence-VERSION-vendored-src.tar.gz
#   cd iam-evidence-VERSION && cargo build --release --offline --locked
#
# The archive is reproducible: the same commit and Cargo.lock give the same bytes (sorted
# names, the commit's time as every mtime, numeric owner 0, gzip without a timestamp).
# Needs git, cargo (and the network, or crates already in the cargo cache), GNU tar, gzip.
set -euo pipefail

die() {
    echo "vendor.sh: $*" >&2
    exit 1
}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/target/dist"
while [[ $# -gt 0 ]]; do
    case $1 in
        --out)
            [[ $# -ge 2 ]] || die "--out needs a folder"
            out=$2
            shift 2
            ;;
        -h | --help)
            sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
            exit 0
            ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done

for tool in git cargo tar gzip; do
    command -v "$tool" > /dev/null || die "$tool not found on PATH"
done
tar --version 2> /dev/null | grep -q 'GNU tar' || die "GNU tar is needed (for --sort=name and --mtime)"
git -C "$root" rev-parse --git-dir > /dev/null 2>&1 || die "$root is not a git work tree: the tarball is made from a commit"

version=$(awk -F'"' '/^\[/{p = ($0 == "[package]")} p && /^version *=/{print $2; exit}' "$root/Cargo.toml")
[[ -n $version ]] || die "no version in [package] of $root/Cargo.toml"
commit=$(git -C "$root" rev-parse HEAD)
commit_time=$(git -C "$root" log -1 --format=%ct HEAD)
name="iam-evidence-$version"

if [[ -n $(git -C "$root" status --porcelain --untracked-files=no) ]]; then
    echo "vendor.sh: warning: the work tree has uncommitted changes; the tarball holds commit ${commit:0:12} only" >&2
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage="$work/$name"

echo "vendor.sh: sources of commit $commit"
git -C "$root" archive --format=tar --prefix="$name/" HEAD | tar -x -C "$work"

echo "vendor.sh: cargo vendor (every crate in Cargo.lock)"
mkdir -p "$stage/.cargo"
# cargo vendor prints the source-replacement snippet on stdout; a relative `directory` is
# resolved against the folder holding .cargo/, i.e. the unpacked source root.
(cd "$stage" && cargo vendor --locked --versioned-dirs vendor) > "$work/vendor-config.toml" 2> "$work/vendor.log" || {
    tail -n 30 "$work/vendor.log" >&2
    die "cargo vendor failed (it needs the network, or every crate of Cargo.lock in the cargo cache)"
}
grep -q 'directory = "vendor"' "$work/vendor-config.toml" ||
    die "unexpected cargo vendor output: $(cat "$work/vendor-config.toml")"
{
    if [[ -f $stage/.cargo/config.toml ]]; then
        cat "$stage/.cargo/config.toml"
        echo
    fi
    echo "# Written by scripts/vendor.sh: build from vendor/ only, never from the network."
    cat "$work/vendor-config.toml"
    printf '\n[net]\noffline = true\n'
} > "$work/config.toml"
mv "$work/config.toml" "$stage/.cargo/config.toml"

{
    echo "$commit"
    echo "# iam-evidence $version: sources from git archive of the commit above; read by build.rs."
} > "$stage/COMMIT"

tarball="$out/$name-vendored-src.tar.gz"
tar --sort=name --mtime="@$commit_time" --owner=0 --group=0 --numeric-owner \
    --format=gnu -C "$work" -cf - "$name" | gzip -9 -n > "$tarball.tmp"
mv "$tarball.tmp" "$tarball"

crates=$(find "$stage/vendor" -mindepth 1 -maxdepth 1 -type d | wc -l)
size=$(du -h "$tarball" | cut -f1)
echo "vendor.sh: wrote $tarball ($size, $crates vendored crates, commit ${commit:0:12})"
