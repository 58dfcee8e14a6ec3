package heapscope.samples;

import com.example.shop.Shop;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AppHeap -- a healthy application heap for benchmarks: no leak, just the shapes real services
 * have, in the address order a real JVM leaves them in.
 *
 * An online shop ({@link com.example.shop.Shop}): four HashMap product catalogs, a HashMap order
 * book with BigDecimal prices and totals, ConcurrentHashMap sessions with attribute maps and carts,
 * an LRU LinkedHashMap (access order) of byte[] blobs from 64 bytes up to 1 MB, long[] metric
 * rings, Object[] batches of orders, products and strings, three plugin class loaders that each
 * define their own com.example.plugin.PluginImpl and Rule, and parked worker threads whose
 * scratch data is reachable only from their stack frames. Everything is built in random order over
 * several rounds with churn (orders removed, sessions expired, products repriced, blobs evicted,
 * batches replaced) and a full GC every third round, so G1 (the JDK default) moves survivors
 * around and references point both up and down in address order.
 *
 * The sidecar holds the exact instance count of every com.example class (the dump is live: only
 * reachable objects), the map sizes, the plugin loaders and the worker threads. A healthy heap: an
 * analyzer should find nothing above "info".
 *
 * --mb sets the approximate dump size in MB (6 for CI: a few MB in seconds; 1000 gives ~1 GB with
 * ~10 M objects; needs a heap of about 1.5x that).
 *
 * usage: AppHeap [--mb N] [--seed S] [--dump PATH] [--live true|false] [--wait-for-dump]
 */
public final class AppHeap {
    static Shop shop;

    public static void main(String[] argv) throws Exception {
        SampleSupport.Args args = new SampleSupport.Args(argv);
        int mb = args.integer("mb", 6);
        long seed = args.integer("seed", 8);
        boolean live = args.bool("live", true);
        String dump = args.string("dump", "AppHeap.hprof");
        if (mb < 1) throw new IllegalArgumentException("--mb must be at least 1");

        long blobBudget = mb * (1L << 20) * 3 / 10;
        int blobMax = (int) Math.min(1 << 20, Math.max(4096, blobBudget / 4));
        int workers = 8;
        shop = new Shop(seed, blobBudget);
        shop.loadPlugins(Math.min(5000, 20 * mb));
        shop.build(240L * mb, 170L * mb, 65L * mb, Math.max(4, 6 * mb), 1024, Math.max(8, 52 * mb),
                blobMax, 6);
        shop.startWorkers(workers, Math.min(2000, 50 * mb));

        Map<String, Object> sidecar = SampleSupport.sidecarHead("AppHeap", live, mb, blobMax);
        sidecar.put("target_mb", mb);
        sidecar.put("seed", seed);
        sidecar.put("gc", String.join(",", gcNames()));
        sidecar.put("classes", new LinkedHashMap<String, Object>(shop.classCounts()));
        Map<String, Object> defs = new LinkedHashMap<>();
        defs.put("com.example.plugin.PluginImpl", 3);
        defs.put("com.example.plugin.Rule", 3);
        sidecar.put("class_definitions", defs);
        sidecar.put("shop", shop.census());
        sidecar.put("worker_threads", workers);
        sidecar.put("stack_only_class", "com.example.shop.StackScratch");
        SampleSupport.finish(args, dump, live, sidecar);
        System.out.println("AppHeap: dumped " + dump);
    }

    static java.util.List<String> gcNames() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) out.add(gc.getName());
        return out;
    }
}
