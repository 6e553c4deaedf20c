// C shims over libjpeg-turbo and libpng. Both libraries report errors by
// leaving the current function (libjpeg's default handler calls exit(),
// libpng longjmps), so every call into them goes through a function here
// that sets a recovery point first and turns any error into a return code
// and a message. No error path can end the process.
#ifndef EMBER_CIMAGECODECS_H
#define EMBER_CIMAGECODECS_H

#endif
