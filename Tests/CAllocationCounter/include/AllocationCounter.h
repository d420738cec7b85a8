#ifndef ATTACCA_ALLOCATION_COUNTER_H
#define ATTACCA_ALLOCATION_COUNTER_H
#include <stdint.h>
/// Starts counting calls to malloc, calloc, realloc, posix_memalign, aligned_alloc on this thread.
void attacca_allocation_counter_start(void);
/// Stops counting and returns how many allocations this thread made since start.
int64_t attacca_allocation_counter_stop(void);
#endif
