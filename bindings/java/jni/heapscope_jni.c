/* JNI glue of dev.heapscope.Heapscope over the C ABI (heapscope.h). Holds no global state: the
 * JavaVM and the listener travel with each analysis. */
#include <heapscope/heapscope.h>
#include <jni.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  heapscope_analysis* analysis;
  JavaVM* vm;
  jobject listener; /* global reference, or NULL */
  jmethodID on_progress;
} handle;

static void throw_error(JNIEnv* env, int code, const char* message) {
  jclass cls = (*env)->FindClass(env, "dev/heapscope/HeapscopeException");
  jmethodID ctor;
  jstring text;
  jobject error;
  if (!cls) return;
  ctor = (*env)->GetMethodID(env, cls, "<init>", "(ILjava/lang/String;)V");
  text = (*env)->NewStringUTF(env, message ? message : "heapscope error");
  if (!ctor || !text) return;
  error = (*env)->NewObject(env, cls, ctor, (jint)code, text);
  if (error) (*env)->Throw(env, (jthrowable)error);
}

/* Called by the library, maybe on its worker threads: attach when needed. */
static int on_progress(void* user, const char* phase, double fraction) {
  handle* h = (handle*)user;
  JNIEnv* env = NULL;
  int attached = 0, cancel = 0;
  jstring name;
  if ((*h->vm)->GetEnv(h->vm, (void**)&env, JNI_VERSION_1_8) == JNI_EDETACHED) {
    if ((*h->vm)->AttachCurrentThread(h->vm, (void**)&env, NULL) != JNI_OK) return 0;
    attached = 1;
  }
  name = (*env)->NewStringUTF(env, phase);
  if (name) {
    cancel = (*env)->CallBooleanMethod(env, h->listener, h->on_progress, name, fraction) ? 1 : 0;
    (*env)->DeleteLocalRef(env, name);
  }
  if ((*env)->ExceptionCheck(env)) { /* a listener that throws cancels */
    (*env)->ExceptionClear(env);
    cancel = 1;
  }
  if (attached) (*h->vm)->DetachCurrentThread(h->vm);
  return cancel;
}

static void release(JNIEnv* env, handle* h) {
  if (h->analysis) heapscope_close(h->analysis);
  if (h->listener) (*env)->DeleteGlobalRef(env, h->listener);
  free(h);
}

JNIEXPORT jstring JNICALL Java_dev_heapscope_Heapscope_nativeVersion(JNIEnv* env, jclass cls) {
  (void)cls;
  return (*env)->NewStringUTF(env, heapscope_version());
}

JNIEXPORT jlong JNICALL Java_dev_heapscope_Heapscope_nativeOpen(JNIEnv* env, jclass cls,
                                                                jstring path, jlong budget,
                                                                jint threads, jstring cache_dir,
                                                                jboolean strong_only,
                                                                jobject listener) {
  handle* h = (handle*)calloc(1, sizeof(handle));
  heapscope_options* options = heapscope_options_new();
  const char* c_path;
  char* error = NULL;
  int rc;
  (void)cls;
  if (!h || !options) {
    free(h);
    heapscope_options_free(options);
    throw_error(env, HEAPSCOPE_ERROR_MEMORY_BUDGET, "out of memory");
    return 0;
  }
  (*env)->GetJavaVM(env, &h->vm);
  if (budget >= 0) heapscope_options_set_memory_budget(options, (uint64_t)budget);
  heapscope_options_set_threads(options, (unsigned)(threads < 0 ? 0 : threads));
  if (cache_dir) {
    const char* dir = (*env)->GetStringUTFChars(env, cache_dir, NULL);
    if (dir) {
      heapscope_options_set_cache_dir(options, dir);
      (*env)->ReleaseStringUTFChars(env, cache_dir, dir);
    }
  }
  heapscope_options_set_retained_convention(
      options, strong_only ? HEAPSCOPE_RETAINED_STRONG_ONLY : HEAPSCOPE_RETAINED_MAT);
  if (listener) {
    jclass lc = (*env)->GetObjectClass(env, listener);
    h->on_progress = (*env)->GetMethodID(env, lc, "onProgress", "(Ljava/lang/String;D)Z");
    h->listener = (*env)->NewGlobalRef(env, listener);
    if (h->on_progress && h->listener) heapscope_options_set_progress(options, on_progress, h);
  }
  c_path = (*env)->GetStringUTFChars(env, path, NULL);
  if (!c_path) {
    heapscope_options_free(options);
    release(env, h);
    return 0; /* OutOfMemoryError pending */
  }
  rc = heapscope_open(c_path, options, &h->analysis, &error);
  (*env)->ReleaseStringUTFChars(env, path, c_path);
  heapscope_options_free(options);
  if (rc != HEAPSCOPE_OK) {
    throw_error(env, rc, error);
    heapscope_string_free(error);
    release(env, h);
    return 0;
  }
  return (jlong)(intptr_t)h;
}

/* The "message" of {"error":{"code":N,"message":"..."}} (enough for our own documents). */
static void error_message(const char* json, char* out, size_t size) {
  const char* m = json ? strstr(json, "\"message\":\"") : NULL;
  size_t n = 0;
  if (!m) {
    strncpy(out, json ? json : "heapscope error", size - 1);
    out[size - 1] = 0;
    return;
  }
  for (m += 11; *m && *m != '"' && n + 1 < size; ++m) {
    if (*m == '\\' && m[1]) ++m;
    out[n++] = *m;
  }
  out[n] = 0;
}

JNIEXPORT jbyteArray JNICALL Java_dev_heapscope_Heapscope_nativeQuery(JNIEnv* env, jclass cls,
                                                                      jlong ptr, jint query,
                                                                      jstring sort, jlong object_id,
                                                                      jlong a, jint b,
                                                                      jboolean flag) {
  handle* h = (handle*)(intptr_t)ptr;
  char* json = NULL;
  const char* c_sort = NULL;
  int rc;
  jbyteArray result = NULL;
  (void)cls;
  if (sort) c_sort = (*env)->GetStringUTFChars(env, sort, NULL);
  switch (query) {
    case 0:
      rc = heapscope_report_json(h->analysis, &json);
      break;
    case 1:
      rc = heapscope_info_json(h->analysis, &json);
      break;
    case 2:
      rc = heapscope_histogram_json(h->analysis, c_sort, (size_t)a, 0, &json);
      break;
    case 3:
      rc = heapscope_dominators_json(h->analysis, (uint64_t)object_id, (size_t)a, b, 0, &json);
      break;
    case 4:
      rc = heapscope_path_json(h->analysis, (uint64_t)object_id, (size_t)a, flag, &json);
      break;
    default:
      rc = heapscope_object_json(h->analysis, (uint64_t)object_id, (size_t)a, &json);
      break;
  }
  if (c_sort) (*env)->ReleaseStringUTFChars(env, sort, c_sort);
  if (rc == HEAPSCOPE_OK) {
    /* UTF-8 bytes: Java decodes them (NewStringUTF wants modified UTF-8) */
    const jsize n = (jsize)strlen(json);
    result = (*env)->NewByteArray(env, n);
    if (result) (*env)->SetByteArrayRegion(env, result, 0, n, (const jbyte*)json);
  } else {
    char message[1024];
    error_message(json, message, sizeof message);
    throw_error(env, rc, message);
  }
  heapscope_string_free(json);
  return result;
}

JNIEXPORT void JNICALL Java_dev_heapscope_Heapscope_nativeClose(JNIEnv* env, jclass cls,
                                                                jlong ptr) {
  (void)cls;
  release(env, (handle*)(intptr_t)ptr);
}
