package dev.genledger.api;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Latency histogram counts by (provider, model, task): the buckets of
 * {@code genledger_latency_bucket}, stored sparse (a unit has a hundred or so non-empty buckets
 * per key out of several hundred possible).
 */
final class HistogramPartial {
    record Key(String provider, String model, String task) {}

    /** Non-empty buckets ascending, with their counts. */
    record Counts(int[] buckets, long[] counts) {}

    final Map<Key, Counts> counts;

    private HistogramPartial(Map<Key, Counts> counts) {
        this.counts = counts;
    }

    long weight() {
        long w = 64;
        for (Counts c : counts.values()) {
            w += 120 + c.buckets().length * 12L;
        }
        return w;
    }

    /** Accumulates dense counts per key; {@link #build} keeps the non-empty buckets. */
    static final class Builder implements PartialQuery.Builder<HistogramPartial> {
        private final Map<Key, long[]> dense = new HashMap<>();

        @Override
        public void add(ResultSet rs) throws SQLException {
            add(new Key(rs.getString("provider"), rs.getString("model"), rs.getString("task")), rs.getInt("bucket"),
                    rs.getLong("count"));
        }

        private void add(Key k, int bucket, long n) {
            long[] d = dense.get(k);
            if (d == null || d.length <= bucket) {
                long[] grown = new long[Math.max(bucket + 1, d == null ? 256 : d.length * 2)];
                if (d != null) {
                    System.arraycopy(d, 0, grown, 0, d.length);
                }
                d = grown;
                dense.put(k, d);
            }
            d[bucket] += n;
        }

        @Override
        public void merge(HistogramPartial p) {
            p.counts.forEach((k, c) -> {
                for (int i = 0; i < c.buckets().length; i++) {
                    add(k, c.buckets()[i], c.counts()[i]);
                }
            });
        }

        /** The merged dense counts, for percentiles. */
        Map<Key, long[]> dense() {
            return dense;
        }

        @Override
        public HistogramPartial build() {
            Map<Key, Counts> out = new HashMap<>();
            dense.forEach((k, d) -> {
                int n = 0;
                for (long x : d) {
                    n += x != 0 ? 1 : 0;
                }
                int[] b = new int[n];
                long[] c = new long[n];
                for (int i = 0, j = 0; i < d.length; i++) {
                    if (d[i] != 0) {
                        b[j] = i;
                        c[j++] = d[i];
                    }
                }
                out.put(k, new Counts(b, c));
            });
            return new HistogramPartial(out);
        }
    }
}
