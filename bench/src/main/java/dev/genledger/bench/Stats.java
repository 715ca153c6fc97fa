package dev.genledger.bench;

import java.util.Arrays;

/** Summaries of repeated measurements. */
final class Stats {
    private Stats() {}

    /** The median: the middle value, or the mean of the two middle values of an even count. */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
