// Helpers shared by the JPEG and PNG shims.
#include "CImageCodecs.h"
#include "Shared.h"
#include <stdio.h>
#include <stdlib.h>

void ember_copy_message(char *destination, const char *text) {
    if (destination != NULL) snprintf(destination, EMBER_IMAGE_MESSAGE_CAPACITY, "%s", text);
}

void ember_image_free(void *pointer) { free(pointer); }
