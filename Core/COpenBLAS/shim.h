// Debian installs OpenBLAS's headers under an alternatives folder that
// pkg-config adds to the include path; cblas.h brings openblas_config.h along.
#include <cblas.h>
