package dev.genledger.ledger.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.genledger.ledger.LedgerSettings;
import dev.genledger.ledger.LedgerWriter;
import dev.genledger.ledger.Uuid7;
import dev.genledger.ledger.testing.MutableClock;
import dev.genledger.ledger.testing.Rows;
import dev.genledger.ledger.testing.TestDatabases;
import dev.genledger.pricing.Cost;
import dev.genledger.pricing.Pricer;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BudgetTrackerTest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @TempDir
    Path dataDir;

    private HikariDataSource ds;
    private LedgerWriter writer;
    private MockWebServer webhook;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-11T00:00:00Z"));

    @BeforeEach
    void setUp() throws Exception {
        ds = TestDatabases.fresh();
        writer = LedgerWriter.start(ds, Pricer.NONE, LedgerSettings.defaults(dataDir).withLingerMs(1));
        webhook = new MockWebServer();
        webhook.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(204).build();
            }
        });
        webhook.start();
    }

    @AfterEach
    void tearDown() {
        writer.close();
        ds.close();
        webhook.close();
    }

    /** Writes one generation costing {@code usd} at {@code at}, through the writer (so rollups count it). */
    private void spend(String usd, String at) {
        Instant t = Instant.parse(at);
        writer.offer(Rows.chat(t).toBuilder().id(Uuid7.atExactly(t.toEpochMilli()))
                .cost(Cost.of(new BigDecimal(usd), BigDecimal.ZERO, BigDecimal.ZERO, "test")).build());
        assertThat(writer.drain(Duration.ofSeconds(30))).isTrue();
    }

    private BudgetSettings tenDollars() {
        return BudgetSettings.monthly(new BigDecimal("10")).withClock(clock)
                .withWebhookUrl(java.net.URI.create(webhook.url("/hooks/secret-token").toString()));
    }

    private JsonNode nextAlert() throws Exception {
        RecordedRequest r = webhook.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).as("a webhook request").isNotNull();
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getHeaders().get("Content-Type")).isEqualTo("application/json");
        return JSON.readTree(r.getBody().utf8());
    }

    @Test
    void eachThresholdIsPostedOncePerMonthAcrossInstances() throws Exception {
        spend("100", "2026-10-31T23:59:59Z"); // October: not this month's spend
        spend("6", "2026-11-02T08:00:00Z");
        try (BudgetTracker a = BudgetTracker.start(ds, tenDollars());
             BudgetTracker b = BudgetTracker.start(ds, tenDollars())) {
            // start() read 6 of 10 USD: 50 % crossed; exactly one of the two instances claimed it
            a.refreshNow().join();
            b.refreshNow().join();
            assertThat(webhook.getRequestCount()).isEqualTo(1);
            JsonNode first = nextAlert();
            assertThat(first.get("event").asText()).isEqualTo("budget_threshold_reached");
            assertThat(first.get("month").asText()).isEqualTo("2026-11");
            assertThat(first.get("threshold_percent").decimalValue()).isEqualByComparingTo("50");
            assertThat(first.get("month_to_date_usd").decimalValue()).isEqualByComparingTo("6");
            assertThat(first.get("monthly_usd").decimalValue()).isEqualByComparingTo("10");

            // 10 of 10 USD: 80 % and 100 % are due, once each, whichever instance reads first
            spend("4", "2026-11-10T23:00:00Z");
            List<BudgetAlert> byB = b.refreshNow().join();
            List<BudgetAlert> byA = a.refreshNow().join();
            assertThat(byB).extracting(BudgetAlert::thresholdPercent).map(BigDecimal::toPlainString)
                    .containsExactly("80", "100");
            assertThat(byA).isEmpty();
            assertThat(webhook.getRequestCount()).isEqualTo(3);
            // the two posts travel concurrently: either may arrive first
            assertThat(List.of(nextAlert(), nextAlert())).extracting(n -> n.get("threshold_percent").asInt())
                    .containsExactlyInAnyOrder(80, 100);

            // a new month starts from zero and alerts again
            clock.set(Instant.parse("2026-12-01T06:00:00Z"));
            spend("5", "2026-12-01T05:00:00Z");
            assertThat(a.refreshNow().join()).extracting(x -> x.thresholdPercent().toPlainString())
                    .containsExactly("50");
            assertThat(b.refreshNow().join()).isEmpty();
            assertThat(webhook.getRequestCount()).isEqualTo(4);
            JsonNode december = nextAlert();
            assertThat(december.get("month").asText()).isEqualTo("2026-12");
            assertThat(december.get("month_to_date_usd").decimalValue()).isEqualByComparingTo("5");
        }
        assertThat(Rows.count(ds, "SELECT count(*) FROM budget_alert")).isEqualTo(4);
    }

    @Test
    void aRestartedInstanceDoesNotAlertAThresholdAgain() throws Exception {
        spend("9", "2026-11-05T10:00:00Z");
        try (BudgetTracker first = BudgetTracker.start(ds, tenDollars())) {
            assertThat(first.refreshNow().join()).isEmpty(); // start() already claimed 50 and 80
        }
        try (BudgetTracker restarted = BudgetTracker.start(ds, tenDollars())) {
            assertThat(restarted.refreshNow().join()).isEmpty();
        }
        assertThat(webhook.getRequestCount()).isEqualTo(2);
    }

    @Test
    void hardCapFlipsWhenMonthToDateReachesTheBudget() {
        spend("0.99", "2026-11-03T10:00:00Z");
        BudgetSettings capped = new BudgetSettings(new BigDecimal("1.00"), null, null, true, 5_000, clock);
        try (BudgetTracker t = BudgetTracker.start(ds, capped)) {
            assertThat(t.hardCapReached()).isFalse();
            spend("0.01", "2026-11-10T10:00:00Z"); // exactly the budget: reached
            t.refreshNow().join();
            assertThat(t.hardCapReached()).isTrue();
            assertThat(t.snapshot().utilization()).isEqualByComparingTo("1");

            clock.set(Instant.parse("2026-12-01T00:00:05Z")); // a new month opens the cap
            t.refreshNow().join();
            assertThat(t.hardCapReached()).isFalse();
            assertThat(t.snapshot().monthToDateUsd()).isEqualByComparingTo("0");
        }
    }

    @Test
    void spendOverTheBudgetDoesNotCloseTheCapWhenTheCapIsOff() {
        spend("12", "2026-11-03T10:00:00Z");
        try (BudgetTracker t = BudgetTracker.start(ds, BudgetSettings.monthly(new BigDecimal("10")).withClock(clock))) {
            assertThat(t.snapshot().utilization()).isEqualByComparingTo("1.2");
            assertThat(t.hardCapReached()).isFalse();
        }
    }

    @Test
    void projectionIsMonthToDateOverTheElapsedFractionOfTheMonth() {
        // November has 30 days; at Nov 11 00:00 UTC 10 days = 1/3 of it have passed.
        // 25 USD so far → 25 / (1/3) = 75 USD projected; utilisation 25 / 100 = 0.25.
        spend("20", "2026-11-01T00:00:00Z");
        spend("5", "2026-11-10T23:59:59Z");
        try (BudgetTracker t = BudgetTracker.start(ds,
                BudgetSettings.monthly(new BigDecimal("100")).withClock(clock))) {
            BudgetSnapshot s = t.snapshot();
            assertThat(s.month()).hasToString("2026-11");
            assertThat(s.monthToDateUsd()).isEqualByComparingTo("25");
            assertThat(s.utilization()).isEqualByComparingTo("0.25");
            assertThat(s.projectedMonthUsd()).isEqualByComparingTo("75");

            // 6 h into Feb 2027 (28 days): 6 / 672 of the month; nothing spent → projection 0
            clock.set(Instant.parse("2027-02-01T06:00:00Z"));
            t.refreshNow().join();
            assertThat(t.snapshot().projectedMonthUsd()).isEqualByComparingTo("0");
            spend("0.5", "2027-02-01T05:00:00Z");
            t.refreshNow().join();
            // 0.5 × 672 / 6 = 56
            assertThat(t.snapshot().projectedMonthUsd()).isEqualByComparingTo("56");
        }
    }

    @Test
    void withoutABudgetThereIsNoSnapshotNoAlertAndNoCap() {
        spend("1000", "2026-11-03T10:00:00Z");
        try (BudgetTracker t = BudgetTracker.start(ds, BudgetSettings.none().withClock(clock))) {
            assertThat(t.refreshNow().join()).isEmpty();
            assertThat(t.snapshot()).isNull();
            assertThat(t.hardCapReached()).isFalse();
        }
        assertThat(webhook.getRequestCount()).isZero();
        assertThat(Rows.count(ds, "SELECT count(*) FROM budget_alert")).isZero();
    }

    @Test
    void aFailingWebhookIsLoggedAndTheThresholdStaysClaimed() throws Exception {
        webhook.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(500).build();
            }
        });
        spend("5", "2026-11-05T10:00:00Z");
        try (BudgetTracker t = BudgetTracker.start(ds, tenDollars())) {
            assertThat(t.refreshNow().join()).isEmpty();
        }
        assertThat(webhook.getRequestCount()).isEqualTo(1);
        assertThat(Rows.count(ds, "SELECT count(*) FROM budget_alert WHERE threshold = 50")).isEqualTo(1);
    }

    @Test
    void settingsNameTheVariableAndTheFix() {
        assertThatThrownBy(() -> BudgetSettings.monthly(new BigDecimal("-5")))
                .hasMessageContaining("GENLEDGER_MONTHLY_BUDGET_USD: -5 (expected: a positive amount");
        assertThatThrownBy(() -> BudgetSettings.none().withHardCap(true))
                .hasMessageContaining("set a budget or turn the cap off");
        assertThatThrownBy(() -> BudgetSettings.monthly(BigDecimal.TEN).withThresholds(List.of(BigDecimal.ZERO)))
                .hasMessageContaining("GENLEDGER_BUDGET_ALERT_THRESHOLDS: 0");
    }
}
