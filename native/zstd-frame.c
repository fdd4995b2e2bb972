// One complete zstd frame per call, for the seekable zstd image (controller/formats/zstd-frame.ts):
// - compressFrame(src, out, level): `src` as one frame with its content size and XXH64 checksum,
//   into `out`. Returns the frame's length; throws when it does not fit or zstd fails.
// node:zlib's zstdCompressSync builds and frees a context (megabytes) for every call: about 0.6 ms
// a frame of 1 MiB, and garbage the collector then has to find. Here each thread keeps one context
// and only resets it between frames.
// A node-api addon: one build serves every Node version, and worker threads. It is linked with
// -lzstd, but Node 24's binary exports its own copy of libzstd and the dynamic linker binds these
// calls to it (perf shows ZSTD_compressBlock_fast inside node): only zstd's stable API is used
// here, so either library serves.
#include <js_native_api.h>
#include <node_api.h>
#include <zstd.h>
#include "clear-upper.h"

static napi_value fail(napi_env env, const char *msg) {
  napi_throw_error(env, NULL, msg);
  return NULL;
}

// Each worker loads the addon in its own context, on its own thread: one compression context each.
static _Thread_local ZSTD_CCtx *cctx;
static _Thread_local int cctx_level;

static int configure(int level) {
  if (!cctx) {
    cctx = ZSTD_createCCtx();
    if (!cctx) return 0;
    cctx_level = 0;
  }
  if (cctx_level == level) return 1;
  // Parameters persist across frames; only a new level needs them set again.
  ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters);
  if (ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level))) return 0;
  if (ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1))) return 0;
  if (ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1))) return 0;
  cctx_level = level;
  return 1;
}

static napi_value compress_frame(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 3) return fail(env, "compressFrame(src, out, level)");
  void *src, *out;
  size_t src_len, out_len, off;
  napi_typedarray_type t;
  napi_value ab;
  if (napi_get_typedarray_info(env, argv[0], &t, &src_len, &src, &ab, &off) != napi_ok || t != napi_uint8_array) return fail(env, "src must be a Uint8Array");
  if (napi_get_typedarray_info(env, argv[1], &t, &out_len, &out, &ab, &off) != napi_ok || t != napi_uint8_array) return fail(env, "out must be a Uint8Array");
  int32_t level;
  if (napi_get_value_int32(env, argv[2], &level) != napi_ok || level < 1 || level > ZSTD_maxCLevel()) return fail(env, "level must be 1 to 22");
  if (!configure(level)) {
    cctx_level = 0;
    return fail(env, "zstd: cannot set up a compression context");
  }
  // compress2 ends the frame, so the context is ready for the next one; on an error it is reset.
  size_t n = ZSTD_compress2(cctx, out, out_len, src, src_len);
  clear_upper_state();
  if (ZSTD_isError(n)) {
    ZSTD_CCtx_reset(cctx, ZSTD_reset_session_only);
    return fail(env, ZSTD_getErrorName(n));
  }
  napi_value result;
  napi_create_double(env, (double)n, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "compressFrame", NAPI_AUTO_LENGTH, compress_frame, NULL, &fn);
  napi_set_named_property(env, exports, "compressFrame", fn);
  return exports;
}
