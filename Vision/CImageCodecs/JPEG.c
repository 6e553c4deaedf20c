// libjpeg-turbo behind setjmp. libjpeg's error_exit must not return, so ours
// copies the message and longjmps to the setjmp at the top of the shim
// function that made the library call. Warnings are decided here too: a
// premature end of data (the memory source padding a truncated file with a
// fake EOI) is an error, so a truncated JPEG never decodes to grey rows;
// other corrupt-data warnings (extraneous bytes before a marker, ...) are
// recoverable and ignored, as PIL and browsers do.
#include "CImageCodecs.h"
#include "Shared.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

/// Progressive JPEGs from real encoders have about 10 scans; a crafted file
/// can hold thousands of tiny ones that each cost a full pass (the limit
/// libjpeg-turbo's own tools suggest is 500).
#define EMBER_JPEG_MAX_SCANS 500

/// Where the handlers jump to and what they report; `client_data` points here.
typedef struct {
    jmp_buf jump;
    char *message;
    int status;
} jpeg_context;

static void on_error(j_common_ptr cinfo) {
    jpeg_context *context = cinfo->client_data;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    ember_copy_message(context->message, text);
    context->status = cinfo->err->msg_code == JERR_OUT_OF_MEMORY ? EMBER_IMAGE_OUT_OF_MEMORY : EMBER_IMAGE_CORRUPT;
    longjmp(context->jump, 1);
}

static void on_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;  // trace messages
    if (cinfo->err->msg_code == JWRN_JPEG_EOF) {
        jpeg_context *context = cinfo->client_data;
        char text[JMSG_LENGTH_MAX];
        (*cinfo->err->format_message)(cinfo, text);
        ember_copy_message(context->message, text);
        context->status = EMBER_IMAGE_TRUNCATED;
        longjmp(context->jump, 1);
    }
    cinfo->err->num_warnings++;
}

static void on_progress(j_common_ptr cinfo) {
    if (!cinfo->is_decompressor) return;
    j_decompress_ptr d = (j_decompress_ptr)cinfo;
    if (d->input_scan_number > EMBER_JPEG_MAX_SCANS) {
        jpeg_context *context = cinfo->client_data;
        char text[EMBER_IMAGE_MESSAGE_CAPACITY];
        snprintf(text, sizeof text, "more than %d scans", EMBER_JPEG_MAX_SCANS);
        ember_copy_message(context->message, text);
        context->status = EMBER_IMAGE_TOO_MANY_SCANS;
        longjmp(context->jump, 1);
    }
}

struct ember_jpeg_decoder {
    jpeg_context context;
    struct jpeg_decompress_struct cinfo;
    struct jpeg_error_mgr err;
    struct jpeg_progress_mgr progress;
    int output_channels;
};

ember_jpeg_decoder *ember_jpeg_open(const uint8_t *data, size_t size, ember_jpeg_info *info,
                                    int *status, char *message) {
    ember_jpeg_decoder *d = calloc(1, sizeof *d);
    if (d == NULL) {
        ember_copy_message(message, "out of memory");
        *status = EMBER_IMAGE_OUT_OF_MEMORY;
        return NULL;
    }
    d->context.message = message;
    d->cinfo.err = jpeg_std_error(&d->err);
    d->err.error_exit = on_error;
    d->err.emit_message = on_message;
    d->cinfo.client_data = &d->context;  // jpeg_create_decompress keeps err and client_data
    if (setjmp(d->context.jump)) {
        *status = d->context.status;
        jpeg_destroy_decompress(&d->cinfo);
        free(d);
        return NULL;
    }
    jpeg_create_decompress(&d->cinfo);
    d->progress.progress_monitor = on_progress;
    d->cinfo.progress = &d->progress;
    jpeg_mem_src(&d->cinfo, data, (unsigned long)size);
    jpeg_save_markers(&d->cinfo, JPEG_APP0 + 1, 0xFFFF);  // APP1: Exif
    if (jpeg_read_header(&d->cinfo, TRUE) != JPEG_HEADER_OK) {
        ember_copy_message(message, "no image (an abbreviated table-only datastream)");
        d->context.status = EMBER_IMAGE_UNSUPPORTED;
        longjmp(d->context.jump, 1);
    }
    memset(info, 0, sizeof *info);
    info->width = d->cinfo.image_width;
    info->height = d->cinfo.image_height;
    info->components = d->cinfo.num_components;
    info->adobe = d->cinfo.saw_Adobe_marker;
    info->progressive = d->cinfo.progressive_mode;
    switch (d->cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE: d->output_channels = 1; break;
    case JCS_YCbCr: case JCS_RGB: case JCS_CMYK: case JCS_YCCK: d->output_channels = 3; break;
    default: {
        char text[EMBER_IMAGE_MESSAGE_CAPACITY];
        snprintf(text, sizeof text, "%d components in an unknown color space", d->cinfo.num_components);
        ember_copy_message(message, text);
        d->context.status = EMBER_IMAGE_UNSUPPORTED;
        longjmp(d->context.jump, 1);
    }
    }
    info->output_channels = d->output_channels;
    for (jpeg_saved_marker_ptr m = d->cinfo.marker_list; m != NULL; m = m->next) {
        if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6 && memcmp(m->data, "Exif\0\0", 6) == 0) {
            info->exif = m->data + 6;
            info->exif_size = m->data_length - 6;
            break;
        }
    }
    *status = EMBER_IMAGE_OK;
    return d;
}

/// PIL's CMYK to RGB (Convert.c cmyk2rgb): channel = (255 - K) - (C × (255 - K)) / 255,
/// rounded as MULDIV255. Adobe files store 255 - ink, so those are inverted first.
static void cmyk_row_to_rgb(const JSAMPLE *in, uint8_t *out, JDIMENSION width, int adobe) {
    for (JDIMENSION x = 0; x < width; x++, in += 4, out += 3) {
        int k = adobe ? 255 - in[3] : in[3];
        int nk = 255 - k;
        for (int c = 0; c < 3; c++) {
            int ink = adobe ? 255 - in[c] : in[c];
            int t = ink * nk + 128;
            out[c] = (uint8_t)(nk - (((t >> 8) + t) >> 8));
        }
    }
}

int ember_jpeg_decode(ember_jpeg_decoder *d, uint8_t *pixels, char *message) {
    d->context.message = message;
    if (setjmp(d->context.jump)) return d->context.status;
    j_decompress_ptr cinfo = &d->cinfo;
    int cmyk = cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK;
    // libjpeg-turbo 2.1 converts YCCK to CMYK but has no CMYK to RGB.
    cinfo->out_color_space = d->output_channels == 1 ? JCS_GRAYSCALE : cmyk ? JCS_CMYK : JCS_RGB;
    jpeg_start_decompress(cinfo);
    size_t stride = (size_t)cinfo->output_width * (size_t)d->output_channels;
    // Freed with the decompressor's image pool.
    JSAMPARRAY cmyk_row = cmyk
        ? (*cinfo->mem->alloc_sarray)((j_common_ptr)cinfo, JPOOL_IMAGE, cinfo->output_width * 4, 1)
        : NULL;
    while (cinfo->output_scanline < cinfo->output_height) {
        uint8_t *out = pixels + (size_t)cinfo->output_scanline * stride;
        if (cmyk) {
            jpeg_read_scanlines(cinfo, cmyk_row, 1);
            cmyk_row_to_rgb(cmyk_row[0], out, cinfo->output_width, cinfo->saw_Adobe_marker);
        } else {
            JSAMPROW row = out;
            jpeg_read_scanlines(cinfo, &row, 1);
        }
    }
    // No jpeg_finish_decompress: it would only check what follows the last
    // scan. libjpeg reads each scan's data up to the next marker, so a file
    // cut anywhere, even just before EOI, was already refused above as
    // truncated (PIL refuses such files too).
    return EMBER_IMAGE_OK;
}

void ember_jpeg_close(ember_jpeg_decoder *d) {
    if (d == NULL) return;
    jpeg_destroy_decompress(&d->cinfo);
    free(d);
}

/// Heap-allocated so nothing the library changes lives in a local across setjmp.
typedef struct {
    jpeg_context context;
    struct jpeg_compress_struct cinfo;
    struct jpeg_error_mgr err;
    unsigned char *buffer;
    unsigned long size;
} jpeg_encoder;

int ember_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int channels,
                      int quality, uint8_t **out, size_t *out_size, char *message) {
    jpeg_encoder *e = calloc(1, sizeof *e);
    if (e == NULL) {
        ember_copy_message(message, "out of memory");
        return EMBER_IMAGE_OUT_OF_MEMORY;
    }
    e->context.message = message;
    e->cinfo.err = jpeg_std_error(&e->err);
    e->err.error_exit = on_error;
    e->err.emit_message = on_message;
    e->cinfo.client_data = &e->context;
    if (setjmp(e->context.jump)) {
        int status = e->context.status;
        jpeg_destroy_compress(&e->cinfo);
        free(e->buffer);  // jpeg_mem_dest's buffer is the caller's to free
        free(e);
        return status;
    }
    jpeg_create_compress(&e->cinfo);
    jpeg_mem_dest(&e->cinfo, &e->buffer, &e->size);
    e->cinfo.image_width = width;
    e->cinfo.image_height = height;
    e->cinfo.input_components = channels;
    e->cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&e->cinfo);
    jpeg_set_quality(&e->cinfo, quality, TRUE);
    jpeg_start_compress(&e->cinfo, TRUE);
    size_t stride = (size_t)width * (size_t)channels;
    while (e->cinfo.next_scanline < e->cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)e->cinfo.next_scanline * stride);
        jpeg_write_scanlines(&e->cinfo, &row, 1);
    }
    jpeg_finish_compress(&e->cinfo);
    *out = e->buffer;
    *out_size = e->size;
    jpeg_destroy_compress(&e->cinfo);
    free(e);
    return EMBER_IMAGE_OK;
}
