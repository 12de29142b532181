/*
 * Debian's static LLVM libunwind (libunwind-14-dev) was compiled against glibc with
 * _FORTIFY_SOURCE, so it calls glibc's __fprintf_chk (only to print its own debug logs).
 * musl has no _chk functions; this forwards the one that is needed to vfprintf.
 * Compiled with musl-gcc and added to the libunwind.a that the musl link uses
 * (scripts/release.sh).
 */
#include <stdarg.h>
#include <stdio.h>

int __fprintf_chk(FILE *stream, int flag, const char *format, ...)
{
    va_list ap;
    int written;

    (void)flag;
    va_start(ap, format);
    written = vfprintf(stream, format, ap);
    va_end(ap);
    return written;
}
