// Vector libraries (ISA-L's AVX-512, libzstd's AVX2) can return with the vector registers' upper
// halves dirty. Until they are cleared, every SSE instruction after them (libm's log2, V8's own
// float code) merges with them and runs several times slower: measured here, an entropy estimate
// run after an Adler-32 fell from 3.1 GB/s to 0.45. VZEROUPPER clears them; it exists only where
// AVX does.
#ifndef IMAGEBOX_CLEAR_UPPER_H
#define IMAGEBOX_CLEAR_UPPER_H

static void clear_upper_state(void) {
#if defined(__x86_64__) || defined(__i386__)
  static int avx = -1;
  if (avx < 0) avx = __builtin_cpu_supports("avx");
  if (avx) __asm__ volatile("vzeroupper" ::: "memory");
#endif
}

#endif
