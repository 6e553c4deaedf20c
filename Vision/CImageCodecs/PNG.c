// libpng behind setjmp. libpng longjmps to png_jmpbuf on error; every shim
// function here sets that point itself, and the error handler copies the
// message first. Warnings (e.g. "iCCP: known incorrect sRGB profile", a bad
// CRC on an ancillary chunk, which libpng then drops) concern metadata, not
// pixels, so they are ignored deliberately; every pixel-data problem, from a
// bad IDAT CRC to "Not enough image data", is a libpng error.
#include "CImageCodecs.h"
#include "Shared.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>

/// What the error handler reports into; first member of both contexts, so
/// the error pointer works for either.
typedef struct {
    char *message;
    int truncated;
} png_report;

static void on_error(png_structp png, png_const_charp text) {
    png_report *report = png_get_error_ptr(png);
    ember_copy_message(report->message, text);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

struct ember_png_decoder {
    png_report report;
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t size;
    size_t offset;
    png_bytep *rows;
    ember_png_info header;
};

/// libpng's read callback over memory; running out of bytes is a truncation.
static void read_memory(png_structp png, png_bytep out, size_t count) {
    ember_png_decoder *d = png_get_io_ptr(png);
    if (count > d->size - d->offset) {
        char text[EMBER_IMAGE_MESSAGE_CAPACITY];
        snprintf(text, sizeof text, "needed %zu bytes at offset %zu but the data ends at %zu",
                 count, d->offset, d->size);
        d->report.truncated = 1;
        png_error(png, text);
    }
    memcpy(out, d->data + d->offset, count);
    d->offset += count;
}

ember_png_decoder *ember_png_open(const uint8_t *data, size_t size, ember_png_info *info,
                                  int *status, char *message) {
    ember_png_decoder *d = calloc(1, sizeof *d);
    if (d != NULL) {
        d->report.message = message;
        d->data = data;
        d->size = size;
        d->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &d->report, on_error, on_warning);
        if (d->png != NULL) d->info = png_create_info_struct(d->png);
    }
    if (d == NULL || d->png == NULL || d->info == NULL) {
        ember_copy_message(message, "out of memory");
        *status = EMBER_IMAGE_OUT_OF_MEMORY;
        ember_png_close(d);
        return NULL;
    }
    if (setjmp(png_jmpbuf(d->png))) {
        *status = d->report.truncated ? EMBER_IMAGE_TRUNCATED : EMBER_IMAGE_CORRUPT;
        ember_png_close(d);
        return NULL;
    }
    png_set_read_fn(d->png, d, read_memory);
    png_read_info(d->png, d->info);
    png_uint_32 width, height;
    int depth, color, interlace;
    png_get_IHDR(d->png, d->info, &width, &height, &depth, &color, &interlace, NULL, NULL);
    ember_png_info *h = &d->header;
    h->width = width;
    h->height = height;
    h->bit_depth = depth;
    h->color_type = color;
    h->interlaced = interlace != PNG_INTERLACE_NONE;
    h->has_trns = png_get_valid(d->png, d->info, PNG_INFO_tRNS) != 0;
    int base = color == PNG_COLOR_TYPE_GRAY ? 1 : color == PNG_COLOR_TYPE_GRAY_ALPHA ? 2
             : color == PNG_COLOR_TYPE_RGB_ALPHA ? 4 : 3;  // RGB and palette
    h->output_channels = base + (h->has_trns && (base == 1 || base == 3));
#ifdef PNG_eXIf_SUPPORTED
    // Only an eXIf chunk before IDAT is seen here (the PNG spec recommends
    // that placement; torchvision also reads only that one).
    png_bytep exif = NULL;
    png_uint_32 exif_size = 0;
    if (png_get_eXIf_1(d->png, d->info, &exif_size, &exif) != 0 && exif != NULL) {
        // Some writers keep JPEG's "Exif\0\0" prefix; the TIFF data follows it.
        if (exif_size >= 6 && memcmp(exif, "Exif\0\0", 6) == 0) { exif += 6; exif_size -= 6; }
        h->exif = exif;
        h->exif_size = exif_size;
    }
#endif
    *info = *h;
    *status = EMBER_IMAGE_OK;
    return d;
}

int ember_png_decode(ember_png_decoder *d, void *pixels, int sixteen_bit, char *message) {
    d->report.message = message;
    if (setjmp(png_jmpbuf(d->png))) return d->report.truncated ? EMBER_IMAGE_TRUNCATED : EMBER_IMAGE_CORRUPT;
    png_structp png = d->png;
    const ember_png_info *h = &d->header;
    if (h->color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (h->color_type == PNG_COLOR_TYPE_GRAY && h->bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (h->has_trns) png_set_tRNS_to_alpha(png);
    int wide = sixteen_bit && h->bit_depth == 16;
    if (h->bit_depth == 16) {
        if (!wide) png_set_strip_16(png);  // the high byte, as PIL reads 16-bit RGB
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        else png_set_swap(png);  // PNG stores big-endian
#endif
    }
    png_set_interlace_handling(png);
    png_read_update_info(png, d->info);
    size_t rowbytes = png_get_rowbytes(png, d->info);
    size_t expected = (size_t)h->width * (size_t)h->output_channels * (wide ? 2 : 1);
    if (rowbytes != expected || png_get_channels(png, d->info) != h->output_channels) {
        char text[EMBER_IMAGE_MESSAGE_CAPACITY];
        snprintf(text, sizeof text, "libpng rows of %zu bytes and %d channels, expected %zu bytes and %d",
                 rowbytes, png_get_channels(png, d->info), expected, h->output_channels);
        ember_copy_message(message, text);
        return EMBER_IMAGE_UNSUPPORTED;
    }
    // The caller checked width × height against its pixel limit, so this
    // array is bounded by what the caller already allocated.
    d->rows = malloc((size_t)h->height * sizeof(png_bytep));
    if (d->rows == NULL) {
        ember_copy_message(message, "out of memory");
        return EMBER_IMAGE_OUT_OF_MEMORY;
    }
    for (png_uint_32 y = 0; y < h->height; y++) d->rows[y] = (png_bytep)pixels + (size_t)y * rowbytes;
    png_read_image(png, d->rows);
    // Not png_read_end: chunks after the pixels (even a missing IEND) do not
    // change the image, and PIL reads such files too.
    return EMBER_IMAGE_OK;
}

void ember_png_close(ember_png_decoder *d) {
    if (d == NULL) return;
    if (d->png != NULL) png_destroy_read_struct(&d->png, d->info != NULL ? &d->info : NULL, NULL);
    free(d->rows);
    free(d);
}

/// The encoder's state, on the heap so that nothing libpng changes lives in
/// a local across setjmp.
typedef struct {
    png_report report;
    png_structp png;
    png_infop info;
    uint8_t *buffer;
    size_t size;
    size_t capacity;
} png_encoder;

static void write_memory(png_structp png, png_bytep data, size_t count) {
    png_encoder *e = png_get_io_ptr(png);
    if (count > e->capacity - e->size) {
        size_t capacity = e->capacity < 4096 ? 4096 : e->capacity;
        while (capacity - e->size < count) {
            if (capacity > SIZE_MAX / 2) png_error(png, "out of memory");
            capacity *= 2;
        }
        uint8_t *grown = realloc(e->buffer, capacity);
        if (grown == NULL) png_error(png, "out of memory");
        e->buffer = grown;
        e->capacity = capacity;
    }
    memcpy(e->buffer + e->size, data, count);
    e->size += count;
}

static void flush_memory(png_structp png) { (void)png; }

int ember_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int channels,
                     int compression_level, uint8_t **out, size_t *out_size, char *message) {
    static const int color_types[] = {PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
                                      PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA};
    png_encoder *e = calloc(1, sizeof *e);
    if (e != NULL) {
        e->report.message = message;
        e->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &e->report, on_error, on_warning);
        if (e->png != NULL) e->info = png_create_info_struct(e->png);
    }
    if (e == NULL || e->png == NULL || e->info == NULL) {
        ember_copy_message(message, "out of memory");
        if (e != NULL) png_destroy_write_struct(&e->png, NULL);
        free(e);
        return EMBER_IMAGE_OUT_OF_MEMORY;
    }
    if (setjmp(png_jmpbuf(e->png))) {
        png_destroy_write_struct(&e->png, &e->info);
        free(e->buffer);
        free(e);
        return EMBER_IMAGE_CORRUPT;
    }
    png_set_write_fn(e->png, e, write_memory, flush_memory);
    png_set_IHDR(e->png, e->info, width, height, 8, color_types[channels - 1], PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(e->png, compression_level);
    png_write_info(e->png, e->info);
    size_t stride = (size_t)width * (size_t)channels;
    for (uint32_t y = 0; y < height; y++) png_write_row(e->png, pixels + (size_t)y * stride);
    png_write_end(e->png, NULL);
    *out = e->buffer;
    *out_size = e->size;
    png_destroy_write_struct(&e->png, &e->info);
    free(e);
    return EMBER_IMAGE_OK;
}
