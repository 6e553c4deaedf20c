#include "CUnicodeNormalization.h"

#include <unicode/unorm2.h>
#include <unicode/utf16.h>

// ICU's instances are process-wide singletons it owns; fetching them is cheap
// after the first call and thread-safe.
static const UNormalizer2 *instance(int compatibility) {
    UErrorCode error = U_ZERO_ERROR;
    const UNormalizer2 *n = compatibility ? unorm2_getNFKCInstance(&error) : unorm2_getNFCInstance(&error);
    return U_FAILURE(error) ? NULL : n;
}

int32_t ember_unicode_decomposition(uint32_t c, int compatibility, uint32_t *out, int32_t capacity) {
    const UNormalizer2 *n = instance(compatibility);
    if (n == NULL) return -1;
    UChar buffer[64];
    UErrorCode error = U_ZERO_ERROR;
    int32_t length = unorm2_getDecomposition(n, (UChar32)c, buffer, 64, &error);
    if (U_FAILURE(error)) return -1;
    if (length < 0) return 0;
    int32_t count = 0;
    for (int32_t i = 0; i < length;) {
        UChar32 scalar;
        U16_NEXT(buffer, i, length, scalar);
        if (count == capacity) return -1;
        out[count++] = (uint32_t)scalar;
    }
    return count;
}

int32_t ember_unicode_compose_pair(uint32_t a, uint32_t b) {
    const UNormalizer2 *n = instance(0);
    if (n == NULL) return -1;
    return unorm2_composePair(n, (UChar32)a, (UChar32)b);
}

uint8_t ember_unicode_combining_class(uint32_t c) {
    const UNormalizer2 *n = instance(0);
    return n == NULL ? 0 : unorm2_getCombiningClass(n, (UChar32)c);
}
