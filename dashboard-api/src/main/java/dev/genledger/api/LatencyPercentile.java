package dev.genledger.api;

/**
 * A latency percentile read from the ledger's histogram ({@code latency_hist_daily}).
 *
 * <p>Bucket {@code b = floor(ln(ms + 1) / ln 1.05)} holds latencies with {@code ms + 1} in
 * {@code [1.05^b, 1.05^(b+1))}: each bucket spans 5 %. A value is reported as its bucket's
 * geometric midpoint {@code 1.05^(b + 0.5) − 1}, so for a true value {@code x} in the bucket
 *
 * <pre>  |estimate − x| ≤ (√1.05 − 1) · (x + 1 ms) ≈ 2.47 % · (x + 1 ms)</pre>
 *
 * <p>The percentile follows {@code percentile_cont}: rank {@code q·(n − 1)} between the sorted
 * values at {@code floor} and {@code ceil} of it, interpolated linearly. The estimate interpolates
 * the two values' midpoints the same way; a convex combination of values each within the bound of
 * its own true value is within the bound of the exact percentile. So the histogram p95 is within
 * {@link #RELATIVE_ERROR_BOUND} × (exact + 1 ms) of {@code percentile_cont(0.95)}.
 */
final class LatencyPercentile {
    private LatencyPercentile() {}

    static final double GROWTH = 1.05;
    /** √1.05 − 1: the largest relative distance from a bucket's midpoint to its edges (in ms + 1). */
    static final double RELATIVE_ERROR_BOUND = Math.sqrt(GROWTH) - 1;

    static double midpoint(int bucket) {
        return Math.pow(GROWTH, bucket + 0.5) - 1;
    }

    /**
     * @param buckets bucket numbers, ascending
     * @param counts  rows per bucket, same order
     * @return the q-quantile estimate in ms, or null when there are no rows
     */
    static Double estimate(int[] buckets, long[] counts, int size, double q) {
        long n = 0;
        for (int i = 0; i < size; i++) {
            n += counts[i];
        }
        if (n == 0) {
            return null;
        }
        double rank = q * (n - 1);
        long lo = (long) Math.floor(rank);
        long hi = (long) Math.ceil(rank);
        double low = midpoint(bucketAt(buckets, counts, size, lo));
        double high = midpoint(bucketAt(buckets, counts, size, hi));
        return low + (rank - lo) * (high - low);
    }

    /** The bucket holding the value at 0-based position {@code pos} of the sorted values. */
    private static int bucketAt(int[] buckets, long[] counts, int size, long pos) {
        long seen = 0;
        for (int i = 0; i < size; i++) {
            seen += counts[i];
            if (pos < seen) {
                return buckets[i];
            }
        }
        return buckets[size - 1];
    }
}
