// zlib, for the CRC-32 that zip records carry (libpng's dependency, so it
// is on every machine that decodes PNGs anyway).
#include <zlib.h>
