// C shims over libjpeg-turbo and libpng. Both libraries report errors by
// leaving the current function (libjpeg's default handler calls exit(),
// libpng longjmps), so every call into them goes through a function here
// that sets a recovery point first and turns any error into a return code
// and a message. No error path can end the process, and no longjmp ever
// crosses a Swift frame: each setjmp is in the shim function that calls the
// library, and the library's handlers jump back to it.
#ifndef EMBER_CIMAGECODECS_H
#define EMBER_CIMAGECODECS_H

#include <stddef.h>
#include <stdint.h>

/// Size of the message buffer every shim function fills on failure.
#define EMBER_IMAGE_MESSAGE_CAPACITY 256

/// Return codes of every shim function.
enum {
    EMBER_IMAGE_OK = 0,
    /// The library refused the data; the message is the library's.
    EMBER_IMAGE_CORRUPT = 1,
    /// The data ended before the image did.
    EMBER_IMAGE_TRUNCATED = 2,
    /// Valid data that these shims do not decode (e.g. a 2-component JPEG).
    EMBER_IMAGE_UNSUPPORTED = 3,
    /// malloc failed.
    EMBER_IMAGE_OUT_OF_MEMORY = 4,
    /// A progressive JPEG with more scans than any encoder writes (a CPU bomb).
    EMBER_IMAGE_TOO_MANY_SCANS = 5,
};

// MARK: JPEG

typedef struct ember_jpeg_decoder ember_jpeg_decoder;

/// What the JPEG header says, before any pixel is decoded.
typedef struct {
    uint32_t width;
    uint32_t height;
    /// Components in the file: 1 (gray), 3 (YCbCr or RGB) or 4 (CMYK or YCCK).
    int components;
    /// Channels `ember_jpeg_decode` writes: 1 for gray, else 3 (CMYK becomes RGB).
    int output_channels;
    /// 1 when an Adobe APP14 marker was seen (CMYK samples are then inverted).
    int adobe;
    /// 1 for progressive JPEGs.
    int progressive;
    /// The TIFF structure after "Exif\0\0" in the first Exif APP1 marker, or
    /// NULL; valid until `ember_jpeg_close`.
    const uint8_t *exif;
    size_t exif_size;
} ember_jpeg_info;

/// Reads the header of `size` bytes at `data` (which must outlive the
/// decoder). On failure returns NULL with `*status` and `message` set.
ember_jpeg_decoder *ember_jpeg_open(const uint8_t *data, size_t size, ember_jpeg_info *info,
                                    int *status, char *message);

/// Decodes every pixel into `pixels`: height × width × output_channels bytes,
/// row-major. A premature end of data is EMBER_IMAGE_TRUNCATED.
int ember_jpeg_decode(ember_jpeg_decoder *decoder, uint8_t *pixels, char *message);

/// Frees the decoder (after success or failure).
void ember_jpeg_close(ember_jpeg_decoder *decoder);

/// Encodes height × width × channels (1 or 3) bytes at quality 1...100 into a
/// malloc'd buffer returned in `*out` (free it with `ember_image_free`).
int ember_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int channels,
                      int quality, uint8_t **out, size_t *out_size, char *message);

// MARK: PNG

typedef struct ember_png_decoder ember_png_decoder;

/// What the PNG header says.
typedef struct {
    uint32_t width;
    uint32_t height;
    /// Bits per sample in the file: 1, 2, 4, 8 or 16.
    int bit_depth;
    /// PNG color type: 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA.
    int color_type;
    int interlaced;
    /// 1 when a tRNS chunk is present (it becomes an alpha channel).
    int has_trns;
    /// Channels `ember_png_decode` writes: palette expands to RGB, tRNS adds alpha.
    int output_channels;
    /// The TIFF structure of an eXIf chunk before the pixels, or NULL; valid
    /// until `ember_png_close`.
    const uint8_t *exif;
    size_t exif_size;
} ember_png_info;

ember_png_decoder *ember_png_open(const uint8_t *data, size_t size, ember_png_info *info,
                                  int *status, char *message);

/// Decodes into height × width × output_channels samples: bytes, or with
/// `sixteen_bit` (for 16-bit files only) native-endian uint16s. 16-bit
/// files decoded to bytes keep each sample's high byte.
int ember_png_decode(ember_png_decoder *decoder, void *pixels, int sixteen_bit, char *message);

void ember_png_close(ember_png_decoder *decoder);

/// Encodes height × width × channels (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA)
/// 8-bit samples at zlib level 0...9 into a malloc'd buffer.
int ember_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int channels,
                     int compression_level, uint8_t **out, size_t *out_size, char *message);

/// Frees a buffer returned by an encoder.
void ember_image_free(void *pointer);

#endif
