package heapscope.samples;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads java.lang.ref.Cleaner's bookkeeping by reflection (needs --add-opens
 * java.base/java.lang.ref=ALL-UNNAMED --add-opens java.base/jdk.internal.ref=ALL-UNNAMED), so that
 * the CleanerLeak sidecar states what the Cleaner's list and queue really hold at dump time.
 *
 * The list: JDK 17 CleanerImpl.phantomCleanableList, a circular doubly linked list of
 * PhantomCleanables through next/prev around a sentinel head; JDK 25 CleanerImpl.activeList, a
 * CleanableList whose head Node chain holds arrays arr[0..size). The Cleaner's own
 * CleanerCleanable (referent: the Cleaner) is left out. The queue: CleanerImpl.queue, a
 * ReferenceQueue linked through Reference.next whose last element points to itself. Enqueued
 * cleanables stay on the list until the Cleaner thread takes them; their referent is cleared.
 */
final class CleanerCensus {
    private CleanerCensus() {}

    static final class Census {
        /** Cleanables on the list and not in the queue. */
        long registered;
        /** Cleanables in the queue. */
        long pending;
        /** On the list (pending included), by class of referent; pending ones have none. */
        final Map<String, Long> byClass = new TreeMap<>();
        /** On the list and not in the queue, by class of referent. */
        final Map<String, Long> registeredByClass = new TreeMap<>();
        /** In the queue, by class of action. */
        final Map<String, Long> pendingByAction = new TreeMap<>();

        long onList() {
            return registered + pending;
        }

        Map<String, Object> toSidecar(String threadName, Thread thread, Map<String, Long> neverCleanable) {
            long never = 0;
            List<Object> classes = new ArrayList<>();
            for (Map.Entry<String, Long> e : registeredByClass.entrySet()) {
                long n = neverCleanable.getOrDefault(e.getKey(), 0L);
                never += n;
                classes.add(SampleSupport.map("class", e.getKey(), "registered", e.getValue(), "never_cleanable", n));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("thread_name", threadName);
            m.put("thread_state", thread.getState().toString());
            m.put("registered", registered);
            m.put("pending", pending);
            m.put("never_cleanable", never);
            m.put("by_referent_class", classes);
            m.put("pending_by_action_class", new LinkedHashMap<String, Object>(pendingByAction));
            return m;
        }
    }

    static Field field(Class<?> c, String name) {
        return SampleSupport.field(c, name);
    }

    static Field fieldOrNull(Class<?> c, String name) {
        try {
            c.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            return null;
        }
        return field(c, name);
    }

    static Census of(Cleaner cleaner) throws Exception {
        Object impl = SampleSupport.get(field(Cleaner.class, "impl"), cleaner);
        Class<?> implClass = impl.getClass();
        Class<?> phantomCleanable = Class.forName("jdk.internal.ref.PhantomCleanable");
        Field referent = field(Reference.class, "referent");
        Field refNext = field(Reference.class, "next");
        Field action = field(Class.forName("jdk.internal.ref.CleanerImpl$PhantomCleanableRef"), "action");

        List<Object> onList = new ArrayList<>();
        Field oldList = fieldOrNull(implClass, "phantomCleanableList");
        if (oldList != null) { // JDK 9-21
            Object head = SampleSupport.get(oldList, impl);
            Field next = field(phantomCleanable, "next");
            synchronized (head) {
                for (Object p = SampleSupport.get(next, head); p != head; p = SampleSupport.get(next, p)) onList.add(p);
            }
        } else { // JDK 22+
            Object list = SampleSupport.get(field(implClass, "activeList"), impl);
            Field headF = field(list.getClass(), "head");
            Class<?> nodeClass = Class.forName("jdk.internal.ref.CleanerImpl$CleanableList$Node");
            Field arr = field(nodeClass, "arr"), size = field(nodeClass, "size"), next = field(nodeClass, "next");
            synchronized (list) {
                for (Object node = SampleSupport.get(headF, list); node != null; node = SampleSupport.get(next, node)) {
                    Object[] a = (Object[]) SampleSupport.get(arr, node);
                    int n = size.getInt(node);
                    for (int i = 0; i < n; i++) onList.add(a[i]);
                }
            }
        }
        Map<Object, Boolean> queued = new IdentityHashMap<>();
        Object q = SampleSupport.get(field(implClass, "queue"), impl);
        Class<?> rq = java.lang.ref.ReferenceQueue.class;
        synchronized (SampleSupport.get(field(rq, "lock"), q)) {
            for (Object r = SampleSupport.get(field(rq, "head"), q); r != null; ) {
                queued.put(r, Boolean.TRUE);
                Object n = SampleSupport.get(refNext, r);
                if (n == r) break;
                r = n;
            }
        }
        Census c = new Census();
        for (Object p : onList) {
            if (p.getClass().getName().endsWith("CleanerImpl$CleanerCleanable")) continue;
            Object r = SampleSupport.get(referent, p);
            String cls = r == null ? "(referent cleared)" : r.getClass().getName();
            c.byClass.merge(cls, 1L, Long::sum);
            if (queued.containsKey(p)) {
                c.pending++;
                c.pendingByAction.merge(SampleSupport.get(action, p).getClass().getName(), 1L, Long::sum);
            } else {
                c.registered++;
                c.registeredByClass.merge(cls, 1L, Long::sum);
            }
        }
        return c;
    }

    private static List<Object> directBufferCleaners() throws Exception {
        Class<?> jc = Class.forName("jdk.internal.ref.Cleaner");
        Field first = field(jc, "first"), next = field(jc, "next");
        List<Object> out = new ArrayList<>();
        synchronized (jc) {
            for (Object p = SampleSupport.get(first, null); p != null; p = SampleSupport.get(next, p)) out.add(p);
        }
        return out;
    }

    /** How many of `buffers` have their jdk.internal.ref.Cleaner on that class's list. */
    static long directBuffersAmong(List<?> buffers) throws Exception {
        Field referent = field(Reference.class, "referent");
        Map<Object, Boolean> ours = new IdentityHashMap<>();
        for (Object b : buffers) ours.put(b, Boolean.TRUE);
        long n = 0;
        for (Object p : directBufferCleaners()) {
            if (ours.containsKey(SampleSupport.get(referent, p))) n++;
        }
        return n;
    }

    /** The length of jdk.internal.ref.Cleaner's list (JDK-wide). */
    static long directBufferListLength() throws Exception {
        return directBufferCleaners().size();
    }
}
