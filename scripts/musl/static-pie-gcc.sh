#!/usr/bin/env bash
# Linker for x86_64-unknown-linux-musl when the target's standard library is built from source
# (-Zbuild-std) instead of coming from rustup's rust-std component.
#
# rustc links musl binaries "self-contained": it names the C runtime objects (rcrt1.o, crti.o,
# crtbeginS.o, crtendS.o, crtn.o) bare, expecting them in the sysroot's self-contained folder,
# and links -lc and -lunwind statically. Without rustup's component that folder is empty, so
# this wrapper gives the objects' full paths from Debian's musl-dev and gcc, and puts musl's
# libc.a and a static libunwind before the system (glibc) library folders.
#
# The name ends in -gcc on purpose: rustc infers the linker's command-line flavour from it.
#
# Environment:
#   MUSL_LIBDIR         musl's crt objects and libc.a   (default /usr/lib/x86_64-linux-musl)
#   MUSL_UNWIND_DIR     folder holding libunwind.a      (set by scripts/release.sh)
#   MUSL_LINK_CC        the C compiler driver that links (default cc)
set -euo pipefail

musl_libdir=${MUSL_LIBDIR:-/usr/lib/x86_64-linux-musl}
cc=${MUSL_LINK_CC:-cc}
: "${MUSL_UNWIND_DIR:?set MUSL_UNWIND_DIR to the folder holding a static libunwind.a (scripts/release.sh does)}"

for required in "$musl_libdir/libc.a" "$musl_libdir/rcrt1.o" "$MUSL_UNWIND_DIR/libunwind.a"; do
    if [[ ! -f $required ]]; then
        echo "musl link: missing $required" >&2
        exit 1
    fi
done

args=()
for arg in "$@"; do
    case $arg in
        crt1.o | rcrt1.o | Scrt1.o | crti.o | crtn.o)
            args+=("$musl_libdir/$arg")
            ;;
        crtbegin.o | crtbeginS.o | crtbeginT.o | crtend.o | crtendS.o)
            args+=("$("$cc" -print-file-name="$arg")")
            ;;
        *)
            args+=("$arg")
            ;;
    esac
done

exec "$cc" -L "$musl_libdir" -L "$MUSL_UNWIND_DIR" "${args[@]}"
