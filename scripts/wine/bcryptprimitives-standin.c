/*
 * Stand-in bcryptprimitives.dll, for the Windows smoke test under Wine only: never shipped.
 *
 * Rust's standard library (1.78 and later) draws random bytes with ProcessPrng from
 * bcryptprimitives.dll, which every supported Windows (10 and later) has but Wine 8.0 (Debian
 * 12) does not, so the binary would not even start there. scripts/release.sh builds this file
 * with MinGW-w64 and puts the DLL beside a temporary copy of the .exe it runs under Wine; the
 * released .exe is not changed. ProcessPrng is answered with RtlGenRandom (advapi32's
 * SystemFunction036), which Wine implements.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
