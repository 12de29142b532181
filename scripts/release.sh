#!/usr/bin/env bash
# Build the release artifacts of iam-evidence, as many as this machine can, and say exactly
# what is missing for the others.
#
#   scripts/release.sh [--out DIR] [--target-dir DIR] [--only musl|windows|glibc-static]
#                      [--glibc-static] [--no-vendor] [--no-run]
#
# Artifacts, in DIR (default target/dist):
#   iam-evidence-V-x86_64-unknown-linux-musl         static Linux binary (no shared library)
#   iam-evidence-V-x86_64-pc-windows-gnu.exe         Windows binary
#   iam-evidence-V-x86_64-unknown-linux-gnu-static   static glibc Linux binary, only when the
#                                                    musl one cannot be built or --glibc-static
#   iam-evidence-V-<target>.cdx.json                 CycloneDX SBOM of each binary's target
#   iam-evidence-V-vendored-src.tar.gz               offline source build (scripts/vendor.sh),
#                                                    also the macOS route
#   SHA256SUMS                                       of everything above
# Every binary is run once on the samples (the Windows one under wine when installed).
#
# How a target's standard library is found, first that works:
#   1. the default toolchain has it (rustup target add <target>): a plain cargo build;
#   2. the standard library is built from source (-Zbuild-std, RUSTC_BOOTSTRAP=1) with a
#      toolchain that has the rust-src component: the default toolchain if it has it, else
#      Debian's rustc-web/cargo-web (/usr/bin/rustc, /usr/bin/cargo) with rust-web-src.
# musl from source additionally needs Debian's musl-tools and a static LLVM libunwind
# (libunwind-14-dev); Windows needs gcc-mingw-w64-x86-64 in every case. docs/install.md lists
# the packages. Exit status: 0 when every artifact was made, 1 when one is missing (the summary
# says which and why).
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/target/dist"
target_dir="$root/target/release-artifacts"
only=""
glibc_static=0
vendor=1
run=1
msrv_minor=89

say() { echo "release.sh: $*" >&2; }
die() {
    say "$*"
    exit 1
}
while [[ $# -gt 0 ]]; do
    case $1 in
        --out)
            out=${2:?--out needs a folder}
            shift 2
            ;;
        --target-dir)
            target_dir=${2:?--target-dir needs a folder}
            shift 2
            ;;
        --only)
            only=${2:?--only needs musl, windows or glibc-static}
            shift 2
            ;;
        --glibc-static)
            glibc_static=1
            shift
            ;;
        --no-vendor)
            vendor=0
            shift
            ;;
        --no-run)
            run=0
            shift
            ;;
        -h | --help)
            sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'
            exit 0
            ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done

command -v cargo > /dev/null || die "cargo not found on PATH"
command -v sha256sum > /dev/null || die "sha256sum not found on PATH (GNU coreutils)"
version=$(awk -F'"' '/^\[/{p = ($0 == "[package]")} p && /^version *=/{print $2; exit}' "$root/Cargo.toml")
[[ -n $version ]] || die "no version in [package] of $root/Cargo.toml"
mkdir -p "$out" "$target_dir" || die "cannot create $out or $target_dir"
out=$(cd "$out" && pwd)
target_dir=$(cd "$target_dir" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root" || exit 1

if git rev-parse --git-dir > /dev/null 2>&1 && [[ -n $(git status --porcelain --untracked-files=no) ]]; then
    say "warning: the work tree has uncommitted changes; the binaries will say 'built from a modified tree'"
fi

declare -a made=() missing=()
record_missing() {
    missing+=("$1: $2")
    say "NOT BUILT $1: $2"
}

# --- toolchains ------------------------------------------------------------------------------

# has_std RUSTC TARGET: the toolchain ships the target's compiled standard library.
has_std() {
    local libdir
    libdir=$("$1" --print target-libdir --target "$2" 2> /dev/null) || return 1
    compgen -G "$libdir/libstd-*.rlib" > /dev/null
}
# has_src RUSTC: the toolchain has the standard library's source (rust-src) for -Zbuild-std.
has_src() {
    local sysroot
    sysroot=$("$1" --print sysroot 2> /dev/null) || return 1
    [[ -f $sysroot/lib/rustlib/src/rust/library/Cargo.lock ]]
}
# new_enough RUSTC: at least the crate's minimum supported Rust (from Cargo.toml).
new_enough() {
    local minor
    minor=$("$1" --version 2> /dev/null | sed -nE 's/^rustc 1\.([0-9]+)\..*/\1/p')
    [[ -n $minor && $minor -ge $msrv_minor ]]
}

default_rustc=$(command -v rustc || true)
debian_rustc=/usr/bin/rustc
debian_cargo=/usr/bin/cargo

# choose_toolchain TARGET: sets mode (std | build-std), tc_cargo, tc_rustc, tc_label; or returns
# 1 with `why` naming what is missing.
choose_toolchain() {
    local target=$1
    tc_cargo=cargo tc_rustc=$default_rustc
    if [[ -n $default_rustc ]] && has_std "$default_rustc" "$target"; then
        mode=std tc_label="$("$default_rustc" --version) with its $target standard library"
        return 0
    fi
    if [[ -n $default_rustc ]] && has_src "$default_rustc"; then
        mode=build-std tc_label="$("$default_rustc" --version), standard library built from its rust-src"
        return 0
    fi
    if [[ -x $debian_rustc && -x $debian_cargo && $debian_rustc != "$default_rustc" ]] &&
        new_enough "$debian_rustc" && has_src "$debian_rustc"; then
        mode=build-std tc_cargo=$debian_cargo tc_rustc=$debian_rustc
        tc_label="Debian $("$debian_rustc" --version), standard library built from rust-web-src"
        return 0
    fi
    why="no standard library for $target: the default toolchain ($("$default_rustc" --version 2> /dev/null || echo none)) has neither"
    why+=" the target (rustup target add $target) nor the rust-src component (rustup component add rust-src)"
    if [[ ! -x $debian_rustc ]]; then
        why+=", and Debian's rustc-web is not installed (apt-get install rustc-web cargo-web rust-web-src)"
    elif ! new_enough "$debian_rustc"; then
        why+=", and $debian_rustc is $("$debian_rustc" --version) (older than 1.$msrv_minor; install rustc-web)"
    elif [[ ! -x $debian_cargo ]]; then
        why+=", and $debian_cargo is missing (apt-get install cargo-web)"
    else
        why+=", and $debian_rustc has no rust-src (apt-get install rust-web-src)"
    fi
    return 1
}

# cargo_build TARGET [EXTRA ENV...]: release build with the chosen toolchain; log in $work.
cargo_build() {
    local target=$1 log="$work/build-$1.log" start status
    shift
    local -a env=(CARGO_TARGET_DIR="$target_dir" "$@")
    local -a args=(build --release --locked --target "$target")
    if [[ $mode == build-std ]]; then
        env+=(RUSTC_BOOTSTRAP=1 RUSTC="$tc_rustc")
        [[ -x ${tc_rustc%/*}/rustdoc ]] && env+=(RUSTDOC="${tc_rustc%/*}/rustdoc")
        args+=(-Zbuild-std)
    fi
    say "building $target with $tc_label (log: $log)"
    start=$(date +%s)
    env "${env[@]}" "$tc_cargo" "${args[@]}" > "$log" 2>&1
    status=$?
    build_seconds=$(($(date +%s) - start))
    if [[ $status -ne 0 ]]; then
        tail -n 25 "$log" >&2
        cp "$log" "$out/build-$target.log" 2> /dev/null
        return 1
    fi
    say "built $target in ${build_seconds}s"
}

# ship SOURCE NAME: copy a binary into $out.
ship() {
    cp "$1" "$out/$2" || return 1
    made+=("$2 ($(du -h "$out/$2" | cut -f1), built in ${build_seconds}s)")
}

# smoke LABEL COMMAND...: --version and an audit of samples/2025-Q2 must succeed.
smoke() {
    local label=$1
    shift
    local version_out
    if ! version_out=$("$@" --version 2> "$work/smoke-$label.err"); then
        say "SMOKE TEST FAILED $label --version: $version_out $(tail -n 5 "$work/smoke-$label.err")"
        return 1
    fi
    if ! "$@" audit "$root/samples/2025-Q2" -o "$work/smoke-$label.xlsx" > "$work/smoke-$label.log" 2>&1; then
        say "SMOKE TEST FAILED $label audit samples: $(tail -n 5 "$work/smoke-$label.log")"
        return 1
    fi
    say "ran $label: $(echo "$version_out" | tr -d '\r'); $(tr -d '\r' < "$work/smoke-$label.log" | tail -n 1)"
}

static_check() {
    if command -v readelf > /dev/null && readelf -l "$1" | grep -q INTERP; then
        say "$1 requests a program interpreter: not a static binary"
        return 1
    fi
    if command -v readelf > /dev/null && readelf -d "$1" 2> /dev/null | grep -q NEEDED; then
        say "$1 needs shared libraries: not a static binary"
        return 1
    fi
}

# --- x86_64-unknown-linux-musl ---------------------------------------------------------------

musl_unwind() {
    # A static libunwind for the musl link: Debian's LLVM libunwind plus the one glibc
    # fortify function it calls (scripts/musl/fortify-shim.c).
    local dir="$target_dir/musl-unwind" llvm_unwind
    llvm_unwind=$(compgen -G "/usr/lib/llvm-*/lib/libunwind.a" | sort -V | tail -n 1)
    if [[ -z $llvm_unwind ]]; then
        why="no static LLVM libunwind (apt-get install libunwind-14-dev)"
        return 1
    fi
    mkdir -p "$dir" &&
        musl-gcc -O2 -fPIC -c "$root/scripts/musl/fortify-shim.c" -o "$dir/fortify-shim.o" &&
        cp "$llvm_unwind" "$dir/libunwind.a" &&
        ar rcs "$dir/libunwind.a" "$dir/fortify-shim.o" || {
        why="could not prepare $dir/libunwind.a from $llvm_unwind"
        return 1
    }
    musl_unwind_dir=$dir
}

build_musl() {
    local target=x86_64-unknown-linux-musl name="iam-evidence-$version-x86_64-unknown-linux-musl"
    local -a env=()
    choose_toolchain "$target" || {
        record_missing "$name" "$why"
        return 1
    }
    if [[ $mode == build-std ]]; then
        local lack=()
        [[ -f /usr/lib/x86_64-linux-musl/libc.a ]] || lack+=("musl's libc.a (apt-get install musl-dev)")
        command -v musl-gcc > /dev/null || lack+=("musl-gcc (apt-get install musl-tools)")
        command -v cc > /dev/null || lack+=("cc (apt-get install gcc)")
        if [[ ${#lack[@]} -gt 0 ]]; then
            record_missing "$name" "building the musl standard library from source needs ${lack[*]}"
            return 1
        fi
        musl_unwind || {
            record_missing "$name" "$why"
            return 1
        }
        env=(CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_LINKER="$root/scripts/musl/static-pie-gcc.sh"
            MUSL_UNWIND_DIR="$musl_unwind_dir")
    fi
    cargo_build "$target" "${env[@]}" || {
        record_missing "$name" "cargo build failed (log: $out/build-$target.log)"
        return 1
    }
    local bin="$target_dir/$target/release/iam-evidence"
    static_check "$bin" || {
        record_missing "$name" "the linked binary is not static"
        return 1
    }
    if [[ $run -eq 1 ]]; then
        smoke musl "$bin" || {
            record_missing "$name" "built, but failed its smoke test"
            return 1
        }
    fi
    ship "$bin" "$name"
}

# --- x86_64-unknown-linux-gnu, statically linked glibc ---------------------------------------

build_glibc_static() {
    local target=x86_64-unknown-linux-gnu name="iam-evidence-$version-x86_64-unknown-linux-gnu-static"
    choose_toolchain "$target" || {
        record_missing "$name" "$why"
        return 1
    }
    if [[ ! -f /usr/lib/x86_64-linux-gnu/libc.a ]]; then
        record_missing "$name" "glibc's static libc.a is missing (apt-get install libc6-dev)"
        return 1
    fi
    # Its own target folder: crt-static changes every crate's flags, and must not invalidate
    # the normal build of the host target.
    local saved=$target_dir
    target_dir="$saved/glibc-static"
    cargo_build "$target" RUSTFLAGS="-C target-feature=+crt-static"
    local status=$?
    local bin="$target_dir/$target/release/iam-evidence"
    target_dir=$saved
    [[ $status -eq 0 ]] || {
        record_missing "$name" "cargo build failed (log: $out/build-$target.log)"
        return 1
    }
    static_check "$bin" || {
        record_missing "$name" "the linked binary is not static"
        return 1
    }
    if [[ $run -eq 1 ]]; then
        smoke glibc-static "$bin" || {
            record_missing "$name" "built, but failed its smoke test"
            return 1
        }
    fi
    ship "$bin" "$name"
    say "note: $name is glibc linked statically: it runs on any x86_64 Linux, but glibc's name-service"
    say "      functions (unused by iam-evidence) would need the build machine's glibc at run time"
}

# --- x86_64-pc-windows-gnu -------------------------------------------------------------------

build_windows() {
    local target=x86_64-pc-windows-gnu name="iam-evidence-$version-x86_64-pc-windows-gnu.exe"
    choose_toolchain "$target" || {
        record_missing "$name" "$why"
        return 1
    }
    local lack=()
    command -v x86_64-w64-mingw32-gcc > /dev/null || lack+=("x86_64-w64-mingw32-gcc")
    if [[ $mode == build-std ]]; then
        command -v x86_64-w64-mingw32-dlltool > /dev/null || lack+=("x86_64-w64-mingw32-dlltool")
    fi
    if [[ ${#lack[@]} -gt 0 ]]; then
        record_missing "$name" "the MinGW-w64 linker is missing: ${lack[*]} (apt-get install gcc-mingw-w64-x86-64)"
        return 1
    fi
    cargo_build "$target" CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc || {
        record_missing "$name" "cargo build failed (log: $out/build-$target.log)"
        return 1
    }
    local bin="$target_dir/$target/release/iam-evidence.exe"
    if [[ $run -eq 1 ]]; then
        smoke_windows "$bin" || {
            record_missing "$name" "built, but failed its smoke test under wine"
            return 1
        }
    fi
    ship "$bin" "$name"
}

# smoke_windows EXE: run it under wine when wine is installed. Wine 8.0 (Debian 12) lacks
# bcryptprimitives.dll, which Rust's std imports for ProcessPrng: a stand-in DLL
# (scripts/wine/bcryptprimitives-standin.c) is put beside a temporary copy of the .exe.
smoke_windows() {
    local wine dir="$work/wine-run"
    wine=$(command -v wine64 || command -v wine || { [[ -x /usr/lib/wine/wine64 ]] && echo /usr/lib/wine/wine64; } || true)
    if [[ -z $wine ]]; then
        say "windows binary not run: wine is not installed (apt-get install wine64)"
        return 0
    fi
    mkdir -p "$dir" "$work/wineprefix" && cp "$1" "$dir/" || return 1
    if ! x86_64-w64-mingw32-gcc -O2 -shared -o "$dir/bcryptprimitives.dll" \
        "$root/scripts/wine/bcryptprimitives-standin.c" -ladvapi32; then
        say "could not build the stand-in bcryptprimitives.dll for wine"
        return 1
    fi
    local status=0
    WINEPREFIX="$work/wineprefix" WINEDEBUG=-all smoke windows "$wine" "$dir/$(basename "$1")" || status=1
    WINEPREFIX="$work/wineprefix" "$(dirname "$wine")/wineserver" -k 2> /dev/null ||
        WINEPREFIX="$work/wineprefix" wineserver -k 2> /dev/null || true
    return $status
}

# --- SBOM ------------------------------------------------------------------------------------

sbom() {
    local target=$1 name="iam-evidence-$version-$1.cdx"
    if ! cargo cyclonedx --version > /dev/null 2>&1; then
        record_missing "$name.json" "cargo-cyclonedx is not installed (cargo install cargo-cyclonedx --locked)"
        return 1
    fi
    local epoch
    epoch=$(git log -1 --format=%ct 2> /dev/null || date +%s)
    if ! SOURCE_DATE_EPOCH=$epoch cargo cyclonedx --format json --spec-version 1.5 --target "$target" \
        --override-filename "$name" > "$work/sbom-$target.log" 2>&1; then
        record_missing "$name.json" "cargo cyclonedx failed: $(tail -n 5 "$work/sbom-$target.log")"
        return 1
    fi
    mv "$root/$name.json" "$out/$name.json" || {
        record_missing "$name.json" "cargo cyclonedx wrote no $root/$name.json"
        return 1
    }
    made+=("$name.json")
}

# --- run ---------------------------------------------------------------------------------------

# A full run starts from an empty set; --only keeps the other artifacts already in $out (and
# SHA256SUMS covers every iam-evidence-VERSION-* file there).
[[ -n $only ]] || rm -f "$out"/iam-evidence-"$version"-* "$out/SHA256SUMS"
rm -f "$out"/build-*.log
want() { [[ -z $only || $only == "$1" ]]; }

if want musl; then
    build_musl
    musl_ok=$?
    [[ $musl_ok -eq 0 ]] && sbom x86_64-unknown-linux-musl
else
    musl_ok=0
fi
if want glibc-static && { [[ $glibc_static -eq 1 || $only == glibc-static ]] || [[ $musl_ok -ne 0 ]]; }; then
    [[ $musl_ok -ne 0 ]] && say "musl binary not made: building a static glibc binary instead"
    build_glibc_static && sbom x86_64-unknown-linux-gnu
fi
if want windows; then
    build_windows && sbom x86_64-pc-windows-gnu
fi
if [[ $vendor -eq 1 && -z $only ]]; then
    if "$root/scripts/vendor.sh" --out "$out"; then
        made+=("iam-evidence-$version-vendored-src.tar.gz")
    else
        record_missing "iam-evidence-$version-vendored-src.tar.gz" "scripts/vendor.sh failed"
    fi
fi

(
    cd "$out" || exit 1
    shopt -s nullglob
    files=(iam-evidence-"$version"-*)
    [[ ${#files[@]} -gt 0 ]] && sha256sum "${files[@]}" > SHA256SUMS
)
[[ -f $out/SHA256SUMS ]] && made+=("SHA256SUMS")

echo
echo "release.sh: iam-evidence $version, artifacts in $out"
for artifact in "${made[@]}"; do echo "  made     $artifact"; done
for artifact in "${missing[@]}"; do echo "  MISSING  $artifact"; done
[[ ${#missing[@]} -eq 0 ]]
