/*
 * LD_PRELOAD shim for running `triage` (an async Swift program) under
 * valgrind 3.19, Debian bookworm's version; see scripts/bench-callgrind.sh.
 *
 * An async Swift main ends in libdispatch's dispatch_main(), whose signal
 * thread calls sigsuspend() with a sigset in read-only memory. Valgrind 3.19
 * edits that sigset in place before the system call and dies with SIGSEGV
 * ("the 'impossible' happened"). This sigsuspend() passes a writable copy
 * instead; it runs once, at exit, so it changes no per-message count.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, (size_t)(_NSIG / 8));
}
