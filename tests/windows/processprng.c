/*
 * Test aid for running codex-creds under Wine 8.0 only; never shipped, never built into a
 * release. Rust's std on Windows gets its random bytes from bcryptprimitives.dll!ProcessPrng
 * (Windows 10+), which Wine 8.0 does not export, so every .exe would fail at start-up. This
 * stand-in, built by tests/windows/smoke.sh as bcryptprimitives.dll beside the .exe, exports
 * ProcessPrng and forwards to RtlGenRandom (advapi32!SystemFunction036), which Wine has.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
