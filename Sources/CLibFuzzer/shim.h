// libFuzzer's entry for programs with a main of their own (compiler-rt, FuzzerInterface.h).
// Only the fuzzing build (scripts/fuzz.sh: -sanitize=fuzzer) calls it, so only that build links it.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
