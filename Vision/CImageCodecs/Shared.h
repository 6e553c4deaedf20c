// Internal to the shims (not part of the module's public header).
#ifndef EMBER_CIMAGECODECS_SHARED_H
#define EMBER_CIMAGECODECS_SHARED_H

/// Copies `text` into a caller's EMBER_IMAGE_MESSAGE_CAPACITY-byte buffer,
/// truncating; a NULL destination is ignored.
void ember_copy_message(char *destination, const char *text);

#endif
