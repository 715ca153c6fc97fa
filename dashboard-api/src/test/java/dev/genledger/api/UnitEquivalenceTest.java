package dev.genledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genledger.ledger.ArticleStore;
import dev.genledger.ledger.Finalization;
import dev.genledger.ledger.Generation;
import dev.genledger.ledger.Modality;
import dev.genledger.ledger.Uuid7;
import dev.genledger.ledger.testing.Rows;
import dev.genledger.pricing.Cost;
import dev.genledger.pricing.Usage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The answers built from units (rollups where they hold whole days and hours, raw rows at the
 * edges, band hours for time zones, the cache of closed units) equal the answers built from raw
 * rows alone, for random ledgers, random windows and every kind of filter; and after late rows, a
 * finalised job and an article changing category, the cache serves the new answer, never the old.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UnitEquivalenceTest {
    private static final Instant NOW = Instant.parse("2026-11-20T17:43:21.123456Z");
    private static final List<ZoneId> ZONES = List.of(ZoneOffset.UTC, ZoneId.of("Europe/Berlin"),
            ZoneId.of("America/New_York"), ZoneId.of("Asia/Kolkata"), ZoneId.of("Pacific/Chatham"));

    private ApiServer api;
    private Db db;
    private UnitEngine cached;
    private UnitEngine uncached;
    private final Random rnd = new Random(7);

    @BeforeAll
    void start(@TempDir Path dataDir) {
        api = new ApiServer(dataDir, NOW);
        db = new Db(api.ds);
        cached = new UnitEngine(new UnitCache(UnitCache.DEFAULT_MAX_BYTES), api.clock);
        uncached = new UnitEngine(new UnitCache(0), api.clock);
        List<Generation> rows = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            rows.add(random(NOW.minusMillis((long) (rnd.nextDouble() * 40 * 86_400_000L)), i));
        }
        rows.sort(java.util.Comparator.comparing(Generation::startedAt));
        api.write(rows);
    }

    private Generation random(Instant at, int i) {
        String[] models = {"gpt-4o", "gpt-4o-mini", "gemini-2.5-flash", "unknown"};
        String[] tasks = {"rewrite", "image_brief", "faq", null};
        String[] cats = {"politics", "sport", null};
        Modality[] modalities = {Modality.TEXT, Modality.TEXT, Modality.IMAGE, Modality.EMBEDDING, Modality.AUDIO,
            Modality.NONE};
        String model = models[rnd.nextInt(models.length)];
        long in = rnd.nextInt(5_000);
        long out = rnd.nextInt(2_000);
        Cost cost = model.equals("unknown") ? Cost.UNPRICED
                : Cost.of(BigDecimal.valueOf(in).movePointLeft(6), BigDecimal.valueOf(out).movePointLeft(5),
                        BigDecimal.valueOf(rnd.nextInt(3)).movePointLeft(2), "t");
        double latency = Math.exp(4 + rnd.nextGaussian() * 1.5);
        boolean pending = rnd.nextInt(30) == 0;
        return Rows.chat(at).toBuilder()
                .id(Uuid7.atExactly(at.toEpochMilli()))
                .provider(i % 3 == 0 ? "gemini" : "openai")
                .model(model)
                .modality(modalities[rnd.nextInt(modalities.length)])
                .task(tasks[rnd.nextInt(tasks.length)])
                .articleId(rnd.nextInt(3) == 0 ? null : "a-" + rnd.nextInt(40))
                .category(cats[rnd.nextInt(cats.length)])
                .contentProduct(rnd.nextBoolean() ? "article" : null)
                .keyId("k" + rnd.nextInt(3))
                .tags(rnd.nextBoolean() ? Map.of("team", rnd.nextBoolean() ? "growth" : "news") : Map.of())
                .status(rnd.nextInt(15) == 0 ? 500 : 200)
                .state(pending ? Generation.State.PENDING : Generation.State.COMPLETE)
                .upstreamRequestId(pending ? "job-" + i : null)
                .usage(Usage.builder().inputTokens(in).outputTokens(out).build())
                .cost(pending ? Cost.UNPRICED : cost)
                .latencyMs(latency)
                .ttfbMs(rnd.nextInt(10) == 0 ? null : latency * rnd.nextDouble())
                .build();
    }

    @AfterAll
    void stop() {
        api.close();
    }

    private List<Window> windows() {
        List<Window> out = new ArrayList<>();
        for (ZoneId z : ZONES) {
            out.add(new Window("7d", NOW.minus(Duration.ofDays(7)), NOW, z));
            out.add(new Window("30d", NOW.minus(Duration.ofDays(30)), NOW, z));
            out.add(new Window("all", NOW.minus(Duration.ofDays(45)).truncatedTo(ChronoUnit.DAYS),
                    NOW.plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.DAYS), z));
        }
        Random r = new Random(99);
        for (int i = 0; i < 10; i++) {
            Instant from = NOW.minusMillis((long) (r.nextDouble() * 41 * 86_400_000L));
            Instant to = from.plusMillis(1 + (long) (r.nextDouble() * 20 * 86_400_000L));
            out.add(new Window("custom", from, to, ZONES.get(i % ZONES.size())));
        }
        out.add(new Window("custom", Instant.parse("2026-11-10T05:15:00Z"), Instant.parse("2026-11-10T05:45:00Z"),
                ZoneOffset.UTC)); // inside one hour
        out.add(new Window("custom", Instant.parse("2026-11-10T05:15:00Z"), Instant.parse("2026-11-10T09:45:00Z"),
                ZoneOffset.UTC)); // inside one day
        return out;
    }

    private static Filters filter(Filters.Dim dim, String value) {
        Map<Filters.Dim, List<String>> m = new EnumMap<>(Filters.Dim.class);
        m.put(dim, List.of(value));
        return new Filters(m, List.of());
    }

    private static final List<Filters> FILTERS = List.of(Filters.NONE, filter(Filters.Dim.PROVIDER, "gemini"),
            filter(Filters.Dim.CATEGORY, "politics"), filter(Filters.Dim.CONTENT_PRODUCT, "article"),
            filter(Filters.Dim.KEY_ID, "k1"), filter(Filters.Dim.ARTICLE_ID, "a-7"),
            new Filters(Map.of(), List.of("{\"team\":\"growth\"}")));

    /** Every endpoint's answer for the window and filters, from units (cached) and from raw rows. */
    private void assertUnitsEqualRaw(Window w, Filters f) {
        String what = w + " " + f.describe();
        assertSame(Json.MAPPER.valueToTree(new SpendQuery(db, cached, false).run(w, f, "team", null)),
                Json.MAPPER.valueToTree(new SpendQuery(db, uncached, true).run(w, f, "team", null)), "spend " + what);
        for (long exact : new long[] {0, Long.MAX_VALUE}) {
            assertSame(Json.MAPPER.valueToTree(new PerformanceQuery(db, cached, exact, false).run(w, f)),
                    Json.MAPPER.valueToTree(new PerformanceQuery(db, uncached, exact, true).run(w, f)),
                    "performance " + what);
        }
        assertSame(Json.MAPPER.valueToTree(new ContentQuery(db, cached, false).run(w, f, 5)),
                Json.MAPPER.valueToTree(new ContentQuery(db, uncached, true).run(w, f, 5)), "content " + what);
    }

    @Test
    @Order(1)
    void everyEndpointFromUnitsEqualsRawRows() {
        int compared = 0;
        for (Window w : windows()) {
            for (Filters f : FILTERS) {
                assertUnitsEqualRaw(w, f);
                compared++;
            }
        }
        assertThat(compared).isEqualTo(windows().size() * FILTERS.size());
        assertThat(cached.cachedUnits()).as("the second and later windows reuse cached days").isPositive();
    }

    @Test
    @Order(2)
    void aRepeatedRequestReadsOnlyItsEdgesFromTheDatabase() {
        Window w = new Window("30d", NOW.minus(Duration.ofDays(30)), NOW, ZoneOffset.UTC);
        SpendQuery spend = new SpendQuery(db, cached, false);
        spend.run(w, Filters.NONE, null, null);
        long before = cached.computedUnits();
        spend.run(w, Filters.NONE, null, null);
        // the two partial hours at the edges; every whole day and hour comes from the cache
        assertThat(cached.computedUnits() - before).isEqualTo(2);
    }

    @Test
    @Order(3)
    void lateRowsFinalisedJobsAndReattributionReachTheCachedAnswer() throws Exception {
        List<Window> windows = windows();
        for (Window w : windows) {
            new SpendQuery(db, cached, false).run(w, Filters.NONE, "team", null); // warm
        }
        // late rows into long-closed days and hours (a spool replayed after an outage)
        List<Generation> late = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            late.add(random(NOW.minusMillis((long) (rnd.nextDouble() * 30 * 86_400_000L)), 10_000 + i));
        }
        api.write(late);
        // a pending job from days ago completes
        Generation pending = random(Instant.parse("2026-11-12T08:15:00Z"), 20_000).toBuilder()
                .state(Generation.State.PENDING).cost(Cost.UNPRICED).modality(Modality.VIDEO)
                .upstreamRequestId("late-job").build();
        api.write(pending);
        api.writer.offer(new Finalization(pending.provider(), "late-job", NOW, 200, null,
                Usage.builder().mediaSeconds(BigDecimal.valueOf(8)).build(), null));
        assertThat(api.writer.drain(Duration.ofSeconds(30))).isTrue();
        // an article moves to another category
        new ArticleStore(api.ds).upsert(new ArticleStore.Article("a-7", "Seven", "culture", "podcast", null, null));

        for (Window w : windows) {
            for (Filters f : List.of(Filters.NONE, filter(Filters.Dim.CATEGORY, "culture"),
                    filter(Filters.Dim.CONTENT_PRODUCT, "podcast"))) {
                assertUnitsEqualRaw(w, f);
            }
        }
        JsonNode culture = Json.MAPPER.valueToTree(new ContentQuery(db, cached, false)
                .run(windows.get(2), filter(Filters.Dim.CATEGORY, "culture"), 5));
        assertThat(culture.get("articles").asLong()).isEqualTo(1);
    }

    /** Equal JSON; durations and rates (sums of doubles in another order) within a thousandth. */
    private static void assertSame(JsonNode a, JsonNode b, String path) {
        if (a.isObject()) {
            assertThat(b.isObject()).as(path).isTrue();
            assertThat(a.size()).as(path).isEqualTo(b.size());
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                assertSame(e.getValue(), b.get(e.getKey()), path + "." + e.getKey());
            }
        } else if (a.isArray()) {
            assertThat(b.size()).as(path + " size\n" + a + "\n" + b).isEqualTo(a.size());
            for (int i = 0; i < a.size(); i++) {
                assertSame(a.get(i), b.get(i), path + "[" + i + "]");
            }
        } else if (a.isNumber() && b != null && b.isNumber()
                && (path.endsWith("_ms") || path.endsWith("_per_second"))) {
            assertThat(a.doubleValue()).as(path).isCloseTo(b.doubleValue(), org.assertj.core.api.Assertions.within(0.0011));
        } else if (a.isNumber() && b != null && b.isNumber()) {
            assertThat(a.decimalValue()).as(path).isEqualByComparingTo(b.decimalValue());
        } else {
            assertThat(a).as(path).isEqualTo(b);
        }
    }
}
