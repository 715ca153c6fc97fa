package dev.genledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.ledger.Generation;
import dev.genledger.ledger.Modality;
import dev.genledger.ledger.Uuid7;
import dev.genledger.ledger.testing.Rows;
import dev.genledger.pricing.Cost;
import dev.genledger.pricing.Usage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planned answer (rollups where they hold whole hours/days, raw rows at the edges, band hours
 * for time zones) equals the answer computed from raw rows alone, for random ledgers and random
 * windows: the raw-row expressions of DashboardSql and the writer's rollups agree.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanEquivalenceTest {
    private static final Instant NOW = Instant.parse("2026-11-20T17:43:21.123456Z");
    private static final List<ZoneId> ZONES = List.of(ZoneOffset.UTC, ZoneId.of("Europe/Berlin"),
            ZoneId.of("America/New_York"), ZoneId.of("Asia/Kolkata"), ZoneId.of("Pacific/Chatham"));

    private ApiServer api;
    private Db db;
    private final Random rnd = new Random(7);

    @BeforeAll
    void start(@TempDir Path dataDir) {
        api = new ApiServer(dataDir, NOW);
        db = new Db(api.ds);
        String[] models = {"gpt-4o", "gpt-4o-mini", "gemini-2.5-flash", "unknown"};
        String[] tasks = {"rewrite", "image_brief", "faq", null};
        String[] cats = {"politics", "sport", null};
        Modality[] modalities = {Modality.TEXT, Modality.TEXT, Modality.IMAGE, Modality.EMBEDDING, Modality.AUDIO,
            Modality.NONE};
        List<Generation> rows = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            Instant at = NOW.minusMillis((long) (rnd.nextDouble() * 40 * 86_400_000L));
            String model = models[rnd.nextInt(models.length)];
            long in = rnd.nextInt(5_000);
            long out = rnd.nextInt(2_000);
            Cost cost = model.equals("unknown") ? Cost.UNPRICED
                    : Cost.of(BigDecimal.valueOf(in).movePointLeft(6), BigDecimal.valueOf(out).movePointLeft(5),
                            BigDecimal.valueOf(rnd.nextInt(3)).movePointLeft(2), "t");
            double latency = Math.exp(4 + rnd.nextGaussian() * 1.5);
            rows.add(Rows.chat(at).toBuilder()
                    .id(Uuid7.at(at.toEpochMilli()))
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
                    .state(rnd.nextInt(30) == 0 ? Generation.State.PENDING : Generation.State.COMPLETE)
                    .usage(Usage.builder().inputTokens(in).outputTokens(out).build())
                    .cost(cost)
                    .latencyMs(latency)
                    .ttfbMs(rnd.nextInt(10) == 0 ? null : latency * rnd.nextDouble())
                    .build());
        }
        rows.sort(java.util.Comparator.comparing(Generation::startedAt));
        api.write(rows);
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
            out.add(new Window("all", NOW.minus(Duration.ofDays(45)).truncatedTo(java.time.temporal.ChronoUnit.DAYS),
                    NOW.plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.DAYS), z));
        }
        for (int i = 0; i < 12; i++) {
            Instant from = NOW.minusMillis((long) (rnd.nextDouble() * 41 * 86_400_000L));
            Instant to = from.plusMillis(1 + (long) (rnd.nextDouble() * 20 * 86_400_000L));
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

    private List<Filters> filters() {
        return List.of(Filters.NONE, filter(Filters.Dim.PROVIDER, "gemini"), filter(Filters.Dim.CATEGORY, "politics"),
                filter(Filters.Dim.CONTENT_PRODUCT, "article"), filter(Filters.Dim.KEY_ID, "k1"),
                filter(Filters.Dim.ARTICLE_ID, "a-7"));
    }

    @Test
    void spendFromThePlanEqualsSpendFromRawRows() {
        int compared = 0;
        for (Window w : windows()) {
            for (Filters f : filters()) {
                Plan plan = SpendQuery.plan(w, f);
                assertSameRows(rows(DashboardSql.spend(plan, f, w.zone())),
                        rows(DashboardSql.spend(Plan.raw(w), f, w.zone())), "spend " + w + " " + f.describe());
                compared++;
            }
        }
        assertThat(compared).isEqualTo(windows().size() * filters().size());
    }

    @Test
    void aBandOfHoursMovesDailyRowsToTheirLocalDay() {
        Window w = new Window("30d", NOW.minus(Duration.ofDays(30)), NOW, ZoneId.of("Europe/Berlin"));
        Plan plan = SpendQuery.plan(w, Filters.NONE);
        assertThat(plan.parts()).anyMatch(p -> p instanceof Plan.Band);
        assertThat(plan.parts()).noneMatch(p -> p instanceof Plan.Raw r && Duration.between(r.from(), r.to())
                .compareTo(Duration.ofHours(1)) > 0);
    }

    @Test
    void performanceFromThePlanEqualsRawRows() {
        for (Window w : windows()) {
            for (Filters f : filters()) {
                Plan plan = f.answerableBy(Filters.CUBE) ? Plan.of(w, Plan.Granularity.HOURLY) : Plan.raw(w);
                assertSameRows(rows(DashboardSql.performance(plan, f)), rows(DashboardSql.performance(Plan.raw(w), f)),
                        "performance " + w + " " + f.describe());
                Plan daily = f.answerableBy(Filters.HISTOGRAM) ? Plan.of(w, Plan.Granularity.DAILY_ONLY) : Plan.raw(w);
                assertSameRows(rows(DashboardSql.latencyHistogram(daily, f)),
                        rows(DashboardSql.latencyHistogram(Plan.raw(w), f)), "histogram " + w + " " + f.describe());
            }
        }
    }

    @Test
    void contentFromThePlanEqualsRawRows() {
        for (Window w : windows()) {
            for (Filters f : filters()) {
                Plan plan = f.answerableBy(Filters.ARTICLES) ? Plan.of(w, Plan.Granularity.DAILY_ONLY) : Plan.raw(w);
                assertSameRows(rows(DashboardSql.content(plan, f, 5)), rows(DashboardSql.content(Plan.raw(w), f, 5)),
                        "content " + w + " " + f.describe());
            }
        }
    }

    @Test
    void tagsFromTagDailyEqualRawRows() {
        for (Window w : windows()) {
            List<Row> raw = rows(DashboardSql.tagsFromRows(w, Filters.NONE, "team")).stream()
                    .filter(r -> !r.exact().startsWith("null|")).toList();
            assertSameRows(rows(DashboardSql.tagsFromRollup(Plan.of(w, Plan.Granularity.DAILY_ONLY), "team")), raw,
                    "tags " + w);
        }
    }

    /** A result row: its exact columns as text, its double columns (latency sums) apart. */
    record Row(String exact, List<Double> doubles) {}

    /** Rows sorted by their exact part; doubles compared with a relative tolerance (summation order differs). */
    private static void assertSameRows(List<Row> planned, List<Row> raw, String what) {
        List<Row> a = planned.stream().sorted(java.util.Comparator.comparing(Row::exact)).toList();
        List<Row> b = raw.stream().sorted(java.util.Comparator.comparing(Row::exact)).toList();
        assertThat(a.stream().map(Row::exact).toList()).as(what).containsExactlyElementsOf(b.stream().map(Row::exact).toList());
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < a.get(i).doubles().size(); j++) {
                Double x = a.get(i).doubles().get(j);
                Double y = b.get(i).doubles().get(j);
                if (x == null || y == null) {
                    assertThat(x).as(what).isEqualTo(y);
                } else {
                    assertThat(x).as("%s: %s", what, a.get(i).exact()).isCloseTo(y,
                            org.assertj.core.api.Assertions.within(1e-9 * Math.max(1, Math.abs(y))));
                }
            }
        }
    }

    private List<Row> rows(Sql sql) {
        return db.query(sql, rs -> {
            ResultSetMetaData md = rs.getMetaData();
            List<Row> out = new ArrayList<>();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                List<Double> doubles = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    if (v instanceof Double d) {
                        doubles.add(d);
                        continue;
                    }
                    if (v instanceof BigDecimal d) {
                        v = d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
                    } else if (v instanceof Number n) {
                        v = String.valueOf(n.longValue());
                    }
                    b.append(i == 1 ? "" : "|").append(v);
                }
                out.add(new Row(b.toString(), doubles));
            }
            return out;
        });
    }
}
