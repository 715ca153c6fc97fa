package dev.genledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.ledger.Generation;
import dev.genledger.ledger.Uuid7;
import dev.genledger.ledger.testing.Rows;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** p95 from the latency histogram stays within the documented bound of the exact percentile_cont. */
class LatencyPercentileTest {
    private static final double BOUND = LatencyPercentile.RELATIVE_ERROR_BOUND;

    @Test
    void theBoundIsTheHalfBucketWidth() {
        assertThat(BOUND).isCloseTo(0.024695, org.assertj.core.api.Assertions.within(1e-6));
        // a bucket's midpoint is within the bound of both its edges
        for (int b = 0; b < 400; b += 7) {
            double lo = Math.pow(1.05, b) - 1;
            double hi = Math.pow(1.05, b + 1) - 1;
            double mid = LatencyPercentile.midpoint(b);
            assertThat(Math.abs(mid - lo)).isLessThanOrEqualTo(BOUND * (lo + 1) * (1 + 1e-12));
            assertThat(Math.abs(mid - hi)).isLessThanOrEqualTo(BOUND * (hi + 1) * (1 + 1e-12));
        }
    }

    @Test
    void estimatesOfRandomSamplesStayWithinTheBound() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + rnd.nextInt(trial < 50 ? 5 : 5_000);
            double[] values = new double[n];
            TreeMap<Integer, Long> hist = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                values[i] = rnd.nextInt(4) == 0 ? rnd.nextInt(3) : Math.exp(5 + rnd.nextGaussian() * 2);
                hist.merge((int) Math.floor(Math.log(values[i] + 1) / Math.log(1.05)), 1L, Long::sum);
            }
            Arrays.sort(values);
            double q = 0.95;
            double rank = q * (n - 1);
            int lo = (int) Math.floor(rank);
            int hi = (int) Math.ceil(rank);
            double exact = values[lo] + (rank - lo) * (values[hi] - values[lo]);
            int[] buckets = hist.keySet().stream().mapToInt(Integer::intValue).toArray();
            long[] counts = hist.values().stream().mapToLong(Long::longValue).toArray();
            double estimate = LatencyPercentile.estimate(buckets, counts, buckets.length, q);
            assertThat(Math.abs(estimate - exact)).as("n=%d exact=%f estimate=%f", n, exact, estimate)
                    .isLessThanOrEqualTo(BOUND * (exact + 1) + 1e-9);
        }
    }

    @Test
    void histogramP95FromTheLedgerIsWithinTheBoundOfTheExactOne(@TempDir Path dataDir) {
        Instant now = Instant.parse("2026-11-20T15:20:00Z");
        Random rnd = new Random(3);
        String[] tasks = {"rewrite", "image_brief", "summary"};
        String[] models = {"gpt-4o", "gpt-4o-mini"};
        try (ApiServer api = new ApiServer(dataDir, now,
                ApiServer.Options.defaults().exactPercentileMaxRows(1_000), null)) {
            List<Generation> rows = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                Instant at = now.minusMillis((long) (rnd.nextDouble() * 9 * 86_400_000L));
                int t = rnd.nextInt(tasks.length);
                rows.add(Rows.chat(at).toBuilder().id(Uuid7.atExactly(at.toEpochMilli())).task(tasks[t])
                        .model(models[rnd.nextInt(models.length)])
                        .latencyMs(Math.exp(6 + t + rnd.nextGaussian())).ttfbMs(50.0).build());
            }
            rows.sort(java.util.Comparator.comparing(Generation::startedAt));
            api.write(rows);

            // over the HTTP API: 7d holds ~2,300 rows > 1,000, so the histogram answers
            var viaApi = api.ok("/api/v1/performance?window=7d");
            assertThat(viaApi.get("p95_method").asText()).isEqualTo("histogram");

            Window w = new Window("7d", now.minus(Duration.ofDays(7)), now, ZoneOffset.UTC);
            Db db = new Db(api.ds);
            UnitEngine engine = new UnitEngine(new UnitCache(UnitCache.DEFAULT_MAX_BYTES), api.clock);
            PerformanceReport exact = new PerformanceQuery(db, engine, Long.MAX_VALUE, false).run(w, Filters.NONE);
            PerformanceReport histogram = new PerformanceQuery(db, engine, 0, false).run(w, Filters.NONE);
            assertThat(exact.p95Method()).isEqualTo("exact");
            assertThat(histogram.p95Method()).isEqualTo("histogram");
            assertThat(histogram.byTask()).hasSize(3);
            for (int i = 0; i < exact.byTask().size(); i++) {
                double e = exact.byTask().get(i).p95LatencyMs();
                double h = histogram.byTask().get(i).p95LatencyMs();
                assertThat(histogram.byTask().get(i).task()).isEqualTo(exact.byTask().get(i).task());
                assertThat(Math.abs(h - e)).as("task %s exact %f histogram %f", exact.byTask().get(i).task(), e, h)
                        .isLessThanOrEqualTo(BOUND * (e + 1) + 0.001); // + the 3-decimal rounding
                assertThat(viaApi.get("by_task").get(i).get("p95_latency_ms").asDouble()).isEqualTo(h);
            }
            for (int i = 0; i < exact.byModel().size(); i++) {
                double e = exact.byModel().get(i).p95LatencyMs();
                double h = histogram.byModel().get(i).p95LatencyMs();
                assertThat(Math.abs(h - e)).isLessThanOrEqualTo(BOUND * (e + 1) + 0.001);
                assertThat(h).isNotEqualTo(e); // it really is an estimate
            }
        }
    }
}
