package dev.genledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.genledger.ledger.testing.Rows;
import dev.genledger.ledger.testing.TestDatabases;
import dev.genledger.pricing.Cost;
import dev.genledger.pricing.Pricer;
import dev.genledger.pricing.Usage;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerWriterTest {
    @TempDir
    Path dataDir;

    private HikariDataSource ds;
    private LedgerWriter writer;

    /** $2 per second of media, so finalisations have a visible price. */
    private static final Pricer TWO_DOLLARS_PER_SECOND = (provider, model, op, usage, at) ->
            Cost.of(BigDecimal.ZERO, BigDecimal.ZERO, usage.mediaSeconds().multiply(new BigDecimal("2")), "test");

    @BeforeEach
    void setUp() {
        ds = TestDatabases.fresh();
    }

    @AfterEach
    void tearDown() {
        if (writer != null) {
            writer.close();
        }
        ds.close();
    }

    private LedgerWriter start(LedgerSettings settings) {
        writer = LedgerWriter.start(ds, TWO_DOLLARS_PER_SECOND, settings);
        return writer;
    }

    @Test
    void hundredThousandRowsOfferedFromEightThreadsLandExactlyOnce() throws Exception {
        start(LedgerSettings.defaults(dataDir));
        int threads = 8;
        int perThread = 12_500;
        Instant base = Instant.parse("2026-10-15T00:00:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t * perThread;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    // spread over two months, so rows land in two partitions
                    writer.offer(Rows.chat(base.plusSeconds((offset + i) * 60L)));
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertThat(writer.drain(Duration.ofMinutes(2))).isTrue();
        assertThat(Rows.count(ds, "SELECT count(*) FROM generation")).isEqualTo(100_000);
        assertThat(Rows.count(ds, "SELECT count(DISTINCT id) FROM generation")).isEqualTo(100_000);
        assertThat(Rows.count(ds, "SELECT sum(generations) FROM rollup_daily")).isEqualTo(100_000);
        assertThat(writer.stats().written()).isEqualTo(100_000);
        assertThat(writer.stats().queued()).isZero();
    }

    @Test
    void aRowOfferedTwiceIsStoredAndCountedOnce() {
        start(LedgerSettings.defaults(dataDir));
        Generation g = Rows.chat(Instant.parse("2026-11-02T08:00:00Z"));
        writer.offer(g);
        assertThat(writer.drain(Duration.ofSeconds(30))).isTrue();
        writer.offer(g);
        assertThat(writer.drain(Duration.ofSeconds(30))).isTrue();
        assertThat(Rows.count(ds, "SELECT count(*) FROM generation")).isEqualTo(1);
        assertThat(Rows.count(ds, "SELECT sum(generations) FROM rollup_daily")).isEqualTo(1);
        assertThat(Rows.count(ds, "SELECT sum(input_tokens) FROM rollup_hourly")).isEqualTo(1000);
        assertThat(writer.stats().written()).isEqualTo(1);
    }

    @Test
    void everyFieldSurvivesTheRoundTripThroughTheDatabase() throws Exception {
        start(LedgerSettings.defaults(dataDir));
        Generation g = Rows.chat(Instant.parse("2026-11-02T08:00:00.123456Z")).toBuilder()
                .error("upstream said: \"no\"\tnew\nline \\ backslash")
                .parentId(Uuid7.next())
                .pipelineStep("rewrite")
                .category("politics")
                .contentProduct("newsletter")
                .usage(Usage.builder().inputTokens(5).outputTokens(7).reasoningTokens(2).outputAudioTokens(3)
                        .credits(new BigDecimal("12.5")).mediaSeconds(new BigDecimal("1.25"))
                        .attribute("size", "1024x1024").estimated(true).build())
                .incomplete(true)
                .ttfbMs(null)
                .build();
        writer.offer(g);
        assertThat(writer.drain(Duration.ofSeconds(30))).isTrue();
        try (var c = ds.getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT * FROM generation")) {
            assertThat(rs.next()).isTrue();
            assertThat(LedgerRows.read(rs)).isEqualTo(g);
        }
    }

    @Test
    void aFullQueueSpillsToTheSpoolAndNothingIsLost() {
        // a queue of 16 cannot hold a burst of 5,000: the rest goes through the spool
        start(LedgerSettings.defaults(dataDir).withQueueCapacity(16).withBatchMaxRows(8));
        Instant base = Instant.parse("2026-11-03T00:00:00Z");
        for (int i = 0; i < 5_000; i++) {
            writer.offer(Rows.chat(base.plusMillis(i)));
        }
        assertThat(writer.drain(Duration.ofMinutes(1))).isTrue();
        assertThat(Rows.count(ds, "SELECT count(*) FROM generation")).isEqualTo(5_000);
        assertThat(writer.stats().spooled()).isZero();
    }

    @Test
    void aRecordTheDatabaseRefusesIsKeptAsideAndTheRestOfItsBatchLands() throws Exception {
        start(LedgerSettings.defaults(dataDir).withLingerMs(1_000));
        Instant t = Instant.parse("2026-11-04T00:00:00Z");
        writer.offer(Rows.chat(t));
        // year 300000 is beyond PostgreSQL's timestamptz range: a data error, not an outage
        writer.offer(Rows.chat(t).toBuilder().id(Uuid7.next()).startedAt(Instant.parse("+300000-01-01T00:00:00Z")).build());
        writer.offer(Rows.chat(t.plusSeconds(1)));
        assertThat(writer.drain(Duration.ofSeconds(30))).isTrue();
        assertThat(Rows.count(ds, "SELECT count(*) FROM generation")).isEqualTo(2);
        assertThat(writer.stats().rejected()).isEqualTo(1);
        assertThat(Files.readString(dataDir.resolve("spool").resolve("rejected.jsonl"))).contains("+300000");
    }

    @Test
    void aFinalisationCompletesThePendingRowRepricesItAndMovesTheRollups() {
        start(LedgerSettings.defaults(dataDir));
        Instant t = Instant.parse("2026-11-05T12:00:00Z");
        Generation pending = Rows.chat(t).toBuilder().provider("replicate").operation("prediction")
                .model("black-forest-labs/flux-schnell").modality(Modality.IMAGE)
                .state(Generation.State.PENDING).upstreamRequestId("pred-1").usage(Usage.NONE).cost(Cost.UNPRICED)
                .build();
        writer.offer(pending);
        writer.offer(new Finalization("replicate", "pred-1", t.plusSeconds(30), 200, null,
                Usage.builder().mediaSeconds(new BigDecimal("1.5")).images(1).build(), null));
        assertThat(writer.drain(Duration.ofSeconds(30))).isTrue();

        assertThat(Rows.count(ds, "SELECT count(*) FROM generation WHERE state = 'complete' AND images = 1"))
                .isEqualTo(1);
        assertThat(Rows.decimal(ds, "SELECT cost_usd FROM generation")).isEqualByComparingTo("3.0");
        assertThat(Rows.count(ds, "SELECT sum(pending) FROM rollup_daily")).isZero();
        assertThat(Rows.count(ds, "SELECT sum(generations) FROM rollup_daily")).isEqualTo(1);
        assertThat(Rows.decimal(ds, "SELECT sum(cost_usd) FROM rollup_daily")).isEqualByComparingTo("3.0");
        assertThat(Rows.decimal(ds, "SELECT sum(cost_usd) FROM article_daily")).isEqualByComparingTo("3.0");
        assertThat(writer.stats().finalized()).isEqualTo(1);

        // the same finalisation again (a second poll) changes nothing
        writer.offer(new Finalization("replicate", "pred-1", t.plusSeconds(40), 200, null,
                Usage.builder().mediaSeconds(new BigDecimal("9")).build(), null));
        assertThat(writer.drain(Duration.ofSeconds(30))).isTrue();
        assertThat(Rows.decimal(ds, "SELECT sum(cost_usd) FROM rollup_daily")).isEqualByComparingTo("3.0");
    }

    @Test
    void aFinalisationThatArrivesBeforeItsRowIsAppliedWhenTheRowArrives() {
        start(LedgerSettings.defaults(dataDir));
        Instant t = Instant.parse("2026-11-05T12:00:00Z");
        writer.offer(new Finalization("gemini", "models/veo/operations/op1", t.plusSeconds(90), 200, null, null, 1L));
        assertThat(writer.drain(Duration.ofSeconds(30))).isTrue();
        assertThat(Rows.count(ds, "SELECT count(*) FROM pending_finalization")).isEqualTo(1);

        // the create asked for two 8-second videos; one came back
        writer.offer(Rows.chat(t).toBuilder().provider("gemini").operation("video").model("veo-3.1-generate-preview")
                .modality(Modality.VIDEO).state(Generation.State.PENDING).upstreamRequestId("models/veo/operations/op1")
                .usage(Usage.builder().mediaSeconds(new BigDecimal("16")).attribute("outputs_requested", "2").build())
                .cost(Cost.UNPRICED).build());
        assertThat(writer.drain(Duration.ofSeconds(30))).isTrue();
        assertThat(Rows.count(ds, "SELECT count(*) FROM pending_finalization")).isZero();
        assertThat(Rows.decimal(ds, "SELECT media_seconds FROM generation WHERE state = 'complete'"))
                .isEqualByComparingTo("8");
        assertThat(Rows.decimal(ds, "SELECT cost_usd FROM generation")).isEqualByComparingTo("16");
        assertThat(Rows.decimal(ds, "SELECT sum(media_seconds) FROM rollup_daily")).isEqualByComparingTo("8");
    }

    @Test
    void finalisationsThatNeverMeetTheirRowAreRemovedAfterAWeek() {
        Rows.exec(ds, "INSERT INTO pending_finalization (provider, upstream_request_id, record, received_at) VALUES "
                + "('replicate', 'stale', '{}', now() - interval '8 days'), ('replicate', 'recent', '{}', now() - interval '1 day')");
        start(LedgerSettings.defaults(dataDir)); // purges on its first pass, then hourly
        writer.offer(Rows.chat(Instant.parse("2026-11-06T00:00:00Z")));
        assertThat(writer.drain(Duration.ofSeconds(30))).isTrue();
        assertThat(Rows.count(ds, "SELECT count(*) FROM pending_finalization WHERE upstream_request_id = 'stale'")).isZero();
        assertThat(Rows.count(ds, "SELECT count(*) FROM pending_finalization WHERE upstream_request_id = 'recent'")).isOne();
    }

    @Test
    void closeFlushesWhatIsQueued() {
        start(LedgerSettings.defaults(dataDir).withLingerMs(5_000));
        Instant t = Instant.parse("2026-11-06T00:00:00Z");
        for (int i = 0; i < 10; i++) {
            writer.offer(Rows.chat(t.plusSeconds(i)));
        }
        writer.close();
        assertThat(Rows.count(ds, "SELECT count(*) FROM generation")).isEqualTo(10);
        assertThat(writer.stats().spooled()).isZero();
        writer = null;
    }

    @Test
    void offerNeverThrowsEvenForNullOrAfterClose() {
        start(LedgerSettings.defaults(dataDir));
        writer.offer(null);
        writer.close();
        writer.offer(Rows.chat(Instant.parse("2026-11-07T00:00:00Z")));
        // after close the record is kept in the spool for the next start
        assertThat(writer.stats().spooled()).isEqualTo(1);
        writer = null;
        LedgerWriter next = LedgerWriter.start(ds, Pricer.NONE, LedgerSettings.defaults(dataDir));
        try {
            assertThat(next.drain(Duration.ofSeconds(30))).isTrue();
            assertThat(Rows.count(ds, "SELECT count(*) FROM generation")).isEqualTo(1);
        } finally {
            next.close();
        }
    }
}
