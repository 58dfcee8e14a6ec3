package dev.heapscope;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A heap dump (HPROF) opened by Heapscope, through the C ABI (libheapscope.so.0) and JNI.
 * Every query returns the JSON document of the matching CLI command ({@code --format json}).
 * One instance may be queried from several threads at once; close it when done.
 *
 * <pre>
 * try (Heapscope heap = Heapscope.open(Paths.get("app.hprof"))) {
 *   String report = heap.report();   // = heapscope analyze --format json
 * }
 * </pre>
 *
 * The JNI library is {@code libheapscope_jni.so}: found through the system property
 * {@code heapscope.jni} (a file path) or else {@code java.library.path}.
 */
public final class Heapscope implements AutoCloseable {
  /** Told of long work; returning true cancels it (the call throws, code {@link #CANCELLED}). */
  public interface ProgressListener {
    boolean onProgress(String phase, double fraction);
  }

  public static final int USAGE = 2, BAD_INPUT = 3, MEMORY_BUDGET = 4, INTERNAL = 5, CANCELLED = 6;

  /** How to open a dump. */
  public static final class Options {
    long memoryBudget = -1; // -1: the memory available now; 0: no limit
    int threads = 0;
    String cacheDir = null;
    boolean strongOnly = false;
    ProgressListener progress = null;

    public Options memoryBudget(long bytes) { memoryBudget = bytes; return this; }
    public Options threads(int n) { threads = n; return this; }
    public Options cacheDir(Path dir) { cacheDir = dir == null ? null : dir.toString(); return this; }
    public Options strongOnly(boolean b) { strongOnly = b; return this; }
    public Options progress(ProgressListener l) { progress = l; return this; }
  }

  static {
    String path = System.getProperty("heapscope.jni");
    if (path != null) {
      System.load(path);
    } else {
      System.loadLibrary("heapscope_jni");
    }
  }

  private long handle; // heapscope_analysis* plus the listener, owned by the native side

  private Heapscope(long handle) { this.handle = handle; }

  public static Heapscope open(Path dump) { return open(dump, new Options()); }

  public static Heapscope open(Path dump, Options o) {
    return new Heapscope(nativeOpen(dump.toString(), o.memoryBudget, o.threads, o.cacheDir,
        o.strongOnly, o.progress));
  }

  public static String version() { return nativeVersion(); }

  /** The report: verdict, findings, finalizer and timer tables. */
  public String report() { return query(handle(), 0, null, 0, 0, 0, false); }

  public String info() { return query(handle(), 1, null, 0, 0, 0, false); }

  /** sort: "shallow", "count" or "retained"; top 0 = every class. */
  public String histogram(String sort, int top) { return query(handle(), 2, sort, 0, top, 0, false); }

  /** objectId 0: the top of the dominator tree; otherwise that object's children. */
  public String dominators(long objectId, int top, int depth) {
    return query(handle(), 3, null, objectId, top, depth, false);
  }

  public String path(long objectId, int maxPaths, boolean allReferences) {
    return query(handle(), 4, null, objectId, maxPaths, 0, allReferences);
  }

  public String object(long objectId, int elements) {
    return query(handle(), 5, null, objectId, elements, 0, false);
  }

  private static String query(long handle, int query, String sort, long objectId, long a, int b,
      boolean flag) {
    return new String(nativeQuery(handle, query, sort, objectId, a, b, flag), StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void close() {
    if (handle != 0) {
      nativeClose(handle);
      handle = 0;
    }
  }

  private synchronized long handle() {
    if (handle == 0) throw new IllegalStateException("heapscope: the analysis is closed");
    return handle;
  }

  private static native String nativeVersion();

  private static native long nativeOpen(String path, long memoryBudget, int threads, String cacheDir,
      boolean strongOnly, ProgressListener progress);

  private static native byte[] nativeQuery(long handle, int query, String sort, long objectId,
      long a, int b, boolean flag);

  private static native void nativeClose(long handle);
}
