// ICU's Normalizer2 for EmberTokenizers, behind plain C functions: ICU's
// headers rename every symbol with its version (unorm2_composePair_72), which
// Swift would have to spell; here the C compiler does the renaming.

#ifndef EMBER_UNICODE_NORMALIZATION_H
#define EMBER_UNICODE_NORMALIZATION_H

#include <stdint.h>

/// The full decomposition of `c` (canonical, or compatibility when
/// `compatibility` is non-zero) as UTF-32 into `out`; returns its length,
/// 0 when `c` does not decompose, or -1 when ICU is unavailable or `capacity`
/// is too small.
int32_t ember_unicode_decomposition(uint32_t c, int compatibility, uint32_t *out, int32_t capacity);

/// The primary composite of `a` followed by `b`, or -1 when they don't compose.
int32_t ember_unicode_compose_pair(uint32_t a, uint32_t b);

/// The canonical combining class of `c`.
uint8_t ember_unicode_combining_class(uint32_t c);

#endif
