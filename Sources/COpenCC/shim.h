#ifndef TRIAGE_COPENCC_SHIM_H
#define TRIAGE_COPENCC_SHIM_H
#include <opencc.h>

/* opencc_open reports failure as (opencc_t)-1, which Swift cannot spell. */
static inline int copencc_is_error(opencc_t handle) { return handle == (opencc_t)-1; }
#endif
