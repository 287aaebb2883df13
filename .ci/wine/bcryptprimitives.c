/* A stand-in for bcryptprimitives.dll, which Wine 8 lacks.
 *
 * Rust's std (1.78 and later) imports ProcessPrng from bcryptprimitives.dll to seed its hash maps; without the
 * DLL every Rust program exits with code 53 before main. This shim exports ProcessPrng and fills the buffer with
 * SystemFunction036 (RtlGenRandom, from advapi32), which Wine has. RtlGenRandom takes a ULONG length, so large
 * requests are served in chunks. Built by .ci/windows.sh with:
 *   x86_64-w64-mingw32-gcc -O2 -shared -s -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
