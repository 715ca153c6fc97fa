package dev.genledger.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The garbage-collection pauses of this JVM (the one the proxy, the fake upstream and the ledger
 * writer run in), as the JVM reports them when each ends: so a benchmark can say how much of a
 * latency percentile was the collector's. Concurrent cycles are not pauses and are left out.
 */
final class GcPauses {
    /** What the pauses of a stretch of time came to. */
    record Summary(int count, double totalMs, double maxMs) {
        Summary plus(Summary o) {
            return new Summary(count + o.count, totalMs + o.totalMs, Math.max(maxMs, o.maxMs));
        }
    }

    static final Summary NONE = new Summary(0, 0, 0);

    private final List<Double> pausesMs = new ArrayList<>();

    GcPauses() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getName().contains("Concurrent") || !(gc instanceof NotificationEmitter emitter)) {
                continue;
            }
            emitter.addNotificationListener((n, handback) -> {
                if (n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    GarbageCollectionNotificationInfo info =
                            GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                    synchronized (pausesMs) {
                        pausesMs.add((double) info.getGcInfo().getDuration());
                    }
                }
            }, null, null);
        }
    }

    /** A mark to measure from. */
    int mark() {
        synchronized (pausesMs) {
            return pausesMs.size();
        }
    }

    /** The pauses that ended since {@code mark}. */
    Summary since(int mark) {
        synchronized (pausesMs) {
            List<Double> s = pausesMs.subList(mark, pausesMs.size());
            return new Summary(s.size(), s.stream().mapToDouble(Double::doubleValue).sum(),
                    s.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        }
    }
}
