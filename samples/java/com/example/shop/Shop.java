package com.example.shop;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * The application of the AppHeap sample: an online shop's heap, built in random order with churn.
 *
 * Owners and counts (every instance of the classes below is reachable through exactly these, so
 * the counts the sample writes to its sidecar are exact for a live dump):
 *   catalogs      4 HashMap<Long, Product>; products are repriced, never removed
 *   orderBook     HashMap<Long, Order>; unpinned orders are removed again (churn); an order is
 *                 pinned once anything else refers to it (Product.lastOrder, Session.cart, a Batch)
 *   sessions      ConcurrentHashMap<String, Session>; sessions expire (removed) and new ones come
 *   blobCache     LinkedHashMap<Long, byte[]> in access order, evicting the eldest above a byte
 *                 budget (LRU); blobs from 64 bytes up to 1 MB
 *   rings         HashMap<String, MetricsRing>, each a long[] ring of samples
 *   batches       ArrayList<Batch>, each an Object[] of orders, products and strings; old batches
 *                 are replaced
 *   plugins       3 PluginClassLoader, each defining its own com.example.plugin.PluginImpl + Rule
 *   workers       parked threads "shop-worker-N"; each holds a StackScratch only in a local
 *                 variable of its run() frame (reachable from the thread's stack and nothing else)
 */
public final class Shop {
    static final String[] CATALOGS = {"books", "music", "tools", "garden"};
    static final String[] WORDS = {"red", "blue", "large", "small", "steel", "oak", "classic", "pro",
        "mini", "ultra", "eco", "smart", "vintage", "deluxe", "basic", "travel"};

    final SplittableRandom rnd;
    final List<HashMap<Long, Product>> catalogs = new ArrayList<>();
    final HashMap<Long, Order> orderBook = new HashMap<>();
    final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    final BlobCache blobCache;
    final HashMap<String, MetricsRing> rings = new HashMap<>();
    final ArrayList<Batch> batches = new ArrayList<>();
    final List<PluginClassLoader> pluginLoaders = new ArrayList<>();
    final List<IntSupplier> plugins = new ArrayList<>();
    final List<Thread> workers = new ArrayList<>();
    final List<Worker> workerTasks = new ArrayList<>();

    long nextProduct, nextOrder, nextSession, nextBlob, nextBatch;
    long productsMade, ordersMade, ordersRemoved, sessionsMade, sessionsExpired, blobsMade, repriced;

    public Shop(long seed, long blobBudget) {
        rnd = new SplittableRandom(seed);
        blobCache = new BlobCache(blobBudget);
        for (int i = 0; i < CATALOGS.length; i++) catalogs.add(new HashMap<>());
    }

    // ------------------------------------------------------------------ operations

    Product anyProduct() {
        if (nextProduct == 0) return null;
        for (int tries = 0; tries < 8; tries++) {
            long id = rnd.nextLong(nextProduct);
            Product p = catalogs.get((int) (id % CATALOGS.length)).get(id);
            if (p != null) return p;
        }
        return null;
    }

    Order anyOrder() {
        if (nextOrder == 0) return null;
        for (int tries = 0; tries < 8; tries++) {
            Order o = orderBook.get(rnd.nextLong(nextOrder));
            if (o != null) return o;
        }
        return null;
    }

    String words(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(' ');
            sb.append(WORDS[rnd.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    static BigDecimal money(long cents) {
        return BigDecimal.valueOf(cents, 2);
    }

    void addProduct() {
        long id = nextProduct++;
        int[] tags = new int[1 + rnd.nextInt(6)];
        for (int i = 0; i < tags.length; i++) tags[i] = rnd.nextInt(500);
        Product p = new Product(id, words(2 + rnd.nextInt(3)) + " #" + id, "SKU-" + Long.toString(id * 7919, 36),
                money(100 + rnd.nextLong(1_000_000)), tags);
        catalogs.get((int) (id % CATALOGS.length)).put(id, p);
        productsMade++;
    }

    void reprice() {
        Product p = anyProduct();
        if (p == null) return;
        p.price = money(100 + rnd.nextLong(1_000_000));
        repriced++;
    }

    Order newOrder() {
        int n = 1 + rnd.nextInt(5);
        OrderLine[] lines = new OrderLine[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            Product p = anyProduct();
            int qty = 1 + rnd.nextInt(4);
            long cents = p == null ? 999 : p.price.unscaledValue().longValue();
            lines[i] = new OrderLine(p, qty, money(cents));
            total += cents * qty;
        }
        long id = nextOrder++;
        Order o = new Order(id, "customer-" + rnd.nextInt(1 << 20), lines, money(total));
        orderBook.put(id, o);
        ordersMade++;
        if (lines[0].product != null && rnd.nextInt(5) == 0) {
            lines[0].product.lastOrder = o;
            o.pinned = true;
        }
        return o;
    }

    /** Removes a random unpinned order (a few tries; most of the book is still unpinned). */
    void removeOrder() {
        if (nextOrder == 0) return;
        for (int tries = 0; tries < 8; tries++) {
            long id = rnd.nextLong(nextOrder);
            Order o = orderBook.get(id);
            if (o != null && !o.pinned) {
                orderBook.remove(id);
                ordersRemoved++;
                return;
            }
        }
    }

    void addSession() {
        String id = "S" + Long.toHexString(0x5e55_0000_0000L + nextSession++);
        Session s = new Session(id, System.currentTimeMillis() - rnd.nextInt(3_600_000));
        s.attributes.put("locale", rnd.nextBoolean() ? "en_US" : "de_DE");
        s.attributes.put("visits", rnd.nextInt(100));
        s.attributes.put("lastSearch", words(1 + rnd.nextInt(3)));
        if (rnd.nextInt(3) == 0) {
            Order cart = newOrder();
            cart.pinned = true;
            s.cart = cart;
        }
        sessions.put(id, s);
        sessionsMade++;
    }

    void expireSession() {
        if (nextSession == 0) return;
        String id = "S" + Long.toHexString(0x5e55_0000_0000L + rnd.nextLong(nextSession));
        if (sessions.remove(id) != null) sessionsExpired++;
    }

    void touchSession() {
        if (nextSession == 0) return;
        Session s = sessions.get("S" + Long.toHexString(0x5e55_0000_0000L + rnd.nextLong(nextSession)));
        if (s != null) {
            s.lastAccess = System.currentTimeMillis();
            s.attributes.put("visits", rnd.nextInt(100));
        }
    }

    /** Blob sizes: log-uniform from 64 bytes to {@code max}. */
    void putBlob(int max) {
        double bits = 6 + rnd.nextDouble() * (Math.log(max) / Math.log(2) - 6);
        int size = (int) Math.min(max, Math.pow(2, bits));
        byte[] b = new byte[size];
        int seed = rnd.nextInt(26);
        for (int i = 0; i < size; i += 61) b[i] = (byte) ('a' + (seed + i) % 26);
        blobCache.put(nextBlob++, b);
        blobsMade++;
    }

    void getBlob() {
        if (nextBlob > 0) blobCache.get(rnd.nextLong(nextBlob));
    }

    void addRing(int length) {
        String name = "metric." + words(1) + "." + rings.size();
        rings.put(name, new MetricsRing(name, length));
    }

    void sample(List<MetricsRing> ringList) {
        if (ringList.isEmpty()) return;
        MetricsRing r = ringList.get(rnd.nextInt(ringList.size()));
        for (int i = 0; i < 16; i++) r.add(rnd.nextLong(1_000_000));
    }

    void addBatch(int maxBatches) {
        Object[] items = new Object[16 + rnd.nextInt(113)];
        for (int i = 0; i < items.length; i++) {
            switch (rnd.nextInt(16)) {
                case 0: {
                    Order o = anyOrder();
                    if (o != null) o.pinned = true;
                    items[i] = o;
                    break;
                }
                case 1: case 2: case 3: case 4: items[i] = anyProduct(); break;
                default: items[i] = "event-" + rnd.nextInt(1 << 24);
            }
        }
        Batch b = new Batch(nextBatch++, items);
        if (batches.size() < maxBatches) batches.add(b);
        else batches.set(rnd.nextInt(batches.size()), b);
    }

    // ------------------------------------------------------------------ plugins and workers

    public void loadPlugins(int rulesEach) throws ReflectiveOperationException {
        ClassLoader app = Shop.class.getClassLoader();
        for (String name : new String[] {"tax", "promotions", "shipping"}) {
            PluginClassLoader loader = new PluginClassLoader(name, app);
            Class<?> c = loader.loadClass("com.example.plugin.PluginImpl");
            if (c.getClassLoader() != loader) throw new IllegalStateException("plugin not defined by its loader");
            IntSupplier plugin = (IntSupplier) c.getConstructor(String.class, int.class).newInstance(name, rulesEach);
            pluginLoaders.add(loader);
            plugins.add(plugin);
        }
    }

    public void startWorkers(int n, int scratchItems) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            Worker w = new Worker(i, scratchItems, ready);
            Thread t = new Thread(w, "shop-worker-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
            workerTasks.add(w);
        }
        ready.await();
    }

    // ------------------------------------------------------------------ census

    public Map<String, Long> classCounts() {
        long products = 0;
        for (HashMap<Long, Product> c : catalogs) products += c.size();
        long lines = 0;
        for (Order o : orderBook.values()) lines += o.lines.length;
        long rules = 0;
        for (IntSupplier p : plugins) rules += p.getAsInt();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put(Shop.class.getName(), 1L);
        m.put(Product.class.getName(), products);
        m.put(Order.class.getName(), (long) orderBook.size());
        m.put(OrderLine.class.getName(), lines);
        m.put(Session.class.getName(), (long) sessions.size());
        m.put(BlobCache.class.getName(), 1L);
        m.put(MetricsRing.class.getName(), (long) rings.size());
        m.put(Batch.class.getName(), (long) batches.size());
        m.put(PluginClassLoader.class.getName(), (long) pluginLoaders.size());
        m.put("com.example.plugin.PluginImpl", (long) plugins.size());
        m.put("com.example.plugin.Rule", rules);
        m.put(Worker.class.getName(), (long) workerTasks.size());
        m.put(StackScratch.class.getName(), (long) workerTasks.size());
        return m;
    }

    public Map<String, Object> census() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> catalogSizes = new ArrayList<>();
        for (HashMap<Long, Product> c : catalogs) catalogSizes.add(c.size());
        m.put("catalog_sizes", catalogSizes);
        m.put("order_book", orderBook.size());
        m.put("sessions", sessions.size());
        m.put("blob_cache_entries", blobCache.size());
        m.put("blob_cache_bytes", blobCache.bytes);
        m.put("blob_cache_budget", blobCache.budget);
        m.put("blob_max_bytes", blobCache.maxBlob());
        m.put("rings", rings.size());
        m.put("batches", batches.size());
        List<Object> loaders = new ArrayList<>();
        for (int i = 0; i < plugins.size(); i++) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("loader", pluginLoaders.get(i).pluginName);
            l.put("classes_defined", pluginLoaders.get(i).defined);
            l.put("rules", plugins.get(i).getAsInt());
            loaders.add(l);
        }
        m.put("plugin_loaders", loaders);
        List<Object> names = new ArrayList<>();
        for (Thread t : workers) names.add(t.getName() + " " + t.getState());
        m.put("worker_threads", names);
        Map<String, Object> churn = new LinkedHashMap<>();
        churn.put("products_made", productsMade);
        churn.put("repriced", repriced);
        churn.put("orders_made", ordersMade);
        churn.put("orders_removed", ordersRemoved);
        churn.put("sessions_made", sessionsMade);
        churn.put("sessions_expired", sessionsExpired);
        churn.put("blobs_made", blobsMade);
        churn.put("batches_made", nextBatch);
        m.put("churn", churn);
        return m;
    }

    // ------------------------------------------------------------------ building

    /** Operation kinds of {@link #build}; quotas per round are drawn in random order. */
    enum Op { PRODUCT, REPRICE, ORDER, REMOVE_ORDER, SESSION, EXPIRE, TOUCH, BLOB, GET_BLOB, SAMPLE, BATCH }

    /**
     * Builds the heap in {@code rounds} rounds. Each round runs its quota of every operation
     * interleaved at random (so objects of every kind are allocated in mixed order), and the
     * allocation volume of the churn (replaced prices, removed orders, expired sessions, evicted
     * blobs, replaced batches) drives several young and mixed collections that move survivors.
     * Between rounds a full GC now and then compacts what is left.
     */
    public void build(long products, long orders, long sessionsTarget, int rings, int ringLength, int batchesMax,
                      int blobMax, int rounds) {
        for (int i = 0; i < rings; i++) addRing(ringLength);
        List<MetricsRing> ringList = new ArrayList<>(this.rings.values());
        for (int r = 0; r < rounds; r++) {
            long[] quota = new long[Op.values().length];
            quota[Op.PRODUCT.ordinal()] = products / rounds + (r == 0 ? products % rounds : 0);
            quota[Op.REPRICE.ordinal()] = r == 0 ? 0 : products / rounds / 2;
            // orders: make half again as many as stay; the surplus is removed (unpinned ones)
            quota[Op.ORDER.ordinal()] = orders * 3 / 2 / rounds;
            quota[Op.REMOVE_ORDER.ordinal()] = orders / 2 / rounds;
            quota[Op.SESSION.ordinal()] = sessionsTarget * 3 / 2 / rounds;
            quota[Op.EXPIRE.ordinal()] = sessionsTarget * 3 / 2 / rounds;
            quota[Op.TOUCH.ordinal()] = sessionsTarget / rounds;
            quota[Op.BLOB.ordinal()] = Math.max(4, blobCache.budget * 2 / Math.max(1, blobMax / 11) / rounds);
            quota[Op.GET_BLOB.ordinal()] = quota[Op.BLOB.ordinal()];
            quota[Op.SAMPLE.ordinal()] = (long) rings * ringLength / 16 / rounds;
            quota[Op.BATCH.ordinal()] = 2L * batchesMax / rounds;
            long left = 0;
            for (long q : quota) left += q;
            while (left > 0) {
                long pick = rnd.nextLong(left);
                int op = 0;
                while (pick >= quota[op]) pick -= quota[op++];
                quota[op]--;
                left--;
                switch (Op.values()[op]) {
                    case PRODUCT: addProduct(); break;
                    case REPRICE: reprice(); break;
                    case ORDER: newOrder(); break;
                    case REMOVE_ORDER: removeOrder(); break;
                    case SESSION: addSession(); break;
                    case EXPIRE: expireSession(); break;
                    case TOUCH: touchSession(); break;
                    case BLOB: putBlob(blobMax); break;
                    case GET_BLOB: getBlob(); break;
                    case SAMPLE: sample(ringList); break;
                    case BATCH: addBatch(batchesMax); break;
                }
            }
            if (r % 3 == 1) System.gc();
        }
    }
}

final class Product {
    final long id;
    final String name;
    final String sku;
    BigDecimal price;
    final int[] tags;
    Order lastOrder;
    int stock;

    Product(long id, String name, String sku, BigDecimal price, int[] tags) {
        this.id = id;
        this.name = name;
        this.sku = sku;
        this.price = price;
        this.tags = tags;
        this.stock = tags.length * 7;
    }
}

final class Order {
    final long id;
    final String customer;
    final OrderLine[] lines;
    final BigDecimal total;
    final long created = System.nanoTime();
    boolean pinned;

    Order(long id, String customer, OrderLine[] lines, BigDecimal total) {
        this.id = id;
        this.customer = customer;
        this.lines = lines;
        this.total = total;
    }
}

final class OrderLine {
    final Product product;
    final int quantity;
    final BigDecimal price;

    OrderLine(Product product, int quantity, BigDecimal price) {
        this.product = product;
        this.quantity = quantity;
        this.price = price;
    }
}

final class Session {
    final String id;
    final long created;
    final Map<String, Object> attributes = new HashMap<>();
    Order cart;
    long lastAccess;

    Session(String id, long created) {
        this.id = id;
        this.created = created;
        this.lastAccess = created;
    }
}

/** An LRU cache of blobs: LinkedHashMap in access order, evicting the eldest above a byte budget. */
final class BlobCache extends LinkedHashMap<Long, byte[]> {
    final long budget;
    long bytes;

    BlobCache(long budget) {
        super(256, 0.75f, true);
        this.budget = budget;
    }

    @Override
    public byte[] put(Long key, byte[] value) {
        bytes += value.length;
        byte[] old = super.put(key, value);
        if (old != null) bytes -= old.length;
        while (bytes > budget && size() > 1) {
            Map.Entry<Long, byte[]> eldest = entrySet().iterator().next();
            bytes -= eldest.getValue().length;
            remove(eldest.getKey());
        }
        return old;
    }

    int maxBlob() {
        int m = 0;
        for (byte[] b : values()) m = Math.max(m, b.length);
        return m;
    }
}

final class MetricsRing {
    final String name;
    final long[] values;
    int pos;

    MetricsRing(String name, int length) {
        this.name = name;
        this.values = new long[length];
    }

    void add(long v) {
        values[pos] = v;
        pos = (pos + 1) % values.length;
    }
}

final class Batch {
    final long id;
    final Object[] items;

    Batch(long id, Object[] items) {
        this.id = id;
        this.items = items;
    }
}

/** Per-request scratch data that only a worker thread's stack frame refers to. */
final class StackScratch {
    final int worker;
    final Object[] items;

    StackScratch(int worker, int n) {
        this.worker = worker;
        this.items = new Object[n];
        for (int i = 0; i < n; i++) items[i] = "scratch-" + worker + "-" + i;
    }
}

/** A worker thread's task: builds its scratch in a local variable and parks until the end. */
final class Worker implements Runnable {
    final int id;
    final int scratchItems;
    final CountDownLatch ready;
    volatile boolean stop;

    Worker(int id, int scratchItems, CountDownLatch ready) {
        this.id = id;
        this.scratchItems = scratchItems;
        this.ready = ready;
    }

    @Override
    public void run() {
        StackScratch scratch = new StackScratch(id, scratchItems);
        ready.countDown();
        while (!stop) LockSupport.park(this);
        if (scratch.items.length < 0) throw new IllegalStateException(); // keeps the local live
    }
}

/**
 * A plugin class loader: defines the classes of package com.example.plugin itself (child first,
 * from the class files its parent can see), delegating everything else.
 */
final class PluginClassLoader extends ClassLoader {
    final String pluginName;
    int defined;

    PluginClassLoader(String pluginName, ClassLoader parent) {
        super("plugin-" + pluginName, parent);
        this.pluginName = pluginName;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith("com.example.plugin.")) return super.loadClass(name, resolve);
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                String resource = name.replace('.', '/') + ".class";
                try (InputStream in = getParent().getResourceAsStream(resource)) {
                    if (in == null) throw new ClassNotFoundException(name);
                    byte[] bytes = in.readAllBytes();
                    c = defineClass(name, bytes, 0, bytes.length);
                    defined++;
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
            if (resolve) resolveClass(c);
            return c;
        }
    }
}
