package dev.genledger.api;

import static dev.genledger.api.HandLedger.usd;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genledger.ledger.Generation;
import dev.genledger.ledger.Uuid7;
import dev.genledger.ledger.testing.Rows;
import dev.genledger.pricing.Cost;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Daily buckets in a time zone, zero-filled. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimeZoneTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private ApiServer api;

    private static Generation costing(String at, String usd) {
        Instant t = Instant.parse(at);
        return Rows.chat(t).toBuilder().id(Uuid7.atExactly(t.toEpochMilli()))
                .cost(Cost.of(new BigDecimal(usd), BigDecimal.ZERO, BigDecimal.ZERO, "t")).build();
    }

    @BeforeAll
    void start(@TempDir Path dataDir) {
        api = new ApiServer(dataDir, NOW);
        api.write(
                costing("2026-10-25T00:30:00Z", "64"),  // NY: 10-24 20:30 (EDT, UTC-4)
                costing("2026-11-01T05:30:00Z", "32"),  // NY: 11-01 01:30 EDT … DST ends 06:00 UTC that day
                costing("2026-11-01T06:30:00Z", "16"),  // NY: 11-01 01:30 EST (the hour repeats)
                costing("2026-11-10T22:30:00Z", "1"),   // Berlin 23:30 on 11-10
                costing("2026-11-10T23:30:00Z", "2"),   // Berlin 00:30 on 11-11: the next day
                costing("2026-11-12T18:29:00Z", "4"),   // Kolkata 23:59 on 11-12
                costing("2026-11-12T18:31:00Z", "8"));  // Kolkata 00:01 on 11-13
    }

    @AfterAll
    void stop() {
        api.close();
    }

    private Map<String, BigDecimal> daily(String query) {
        JsonNode s = api.ok("/api/v1/spend?" + query);
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode d : s.get("daily")) {
            out.put(d.get("day").asText(), d.get("total_usd").decimalValue());
            sum = sum.add(d.get("total_usd").decimalValue());
        }
        assertThat(sum).as("daily series adds up to the total for %s", query)
                .isEqualByComparingTo(s.get("total_usd").decimalValue());
        return out;
    }

    @Test
    void aRowAt2330UtcLandsOnTheNextDayInBerlin() {
        Map<String, BigDecimal> utc = daily("window=30d");
        assertThat(utc.get("2026-11-10")).isEqualByComparingTo("3"); // 22:30 and 23:30 UTC
        assertThat(utc.get("2026-11-11")).isEqualByComparingTo("0");
        Map<String, BigDecimal> berlin = daily("window=30d&tz=Europe/Berlin");
        assertThat(berlin.get("2026-11-10")).isEqualByComparingTo("1");
        assertThat(berlin.get("2026-11-11")).isEqualByComparingTo("2");
        assertThat(api.ok("/api/v1/spend?window=30d&tz=Europe/Berlin").get("window").get("tz").asText())
                .isEqualTo("Europe/Berlin");
    }

    @Test
    void everyDayOfTheWindowIsThereZeroFilled() {
        // 7d = [11-13 12:00, 11-20 12:00) UTC touches 8 UTC days, none with a row
        Map<String, BigDecimal> days = daily("window=7d");
        assertThat(days.keySet()).containsExactly("2026-11-13", "2026-11-14", "2026-11-15", "2026-11-16",
                "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20");
        assertThat(days.values()).allSatisfy(v -> assertThat(v).isEqualByComparingTo("0"));
        JsonNode zero = api.ok("/api/v1/spend?window=7d").get("daily").get(3);
        assertThat(zero.get("generations").asLong()).isZero();
        assertThat(zero.get("cost_per_generation_usd").isNull()).isTrue();
    }

    @Test
    void aFractionalOffsetZoneSplitsAtItsOwnMidnight() {
        Map<String, BigDecimal> kolkata = daily("from=2026-11-12&to=2026-11-13&tz=Asia/Kolkata");
        assertThat(kolkata).containsOnlyKeys("2026-11-12", "2026-11-13");
        assertThat(kolkata.get("2026-11-12")).isEqualByComparingTo("4");
        assertThat(kolkata.get("2026-11-13")).isEqualByComparingTo("8");
        // the window is Kolkata's days: from = 11-12 00:00 IST = 11-11 18:30 UTC
        assertThat(api.ok("/api/v1/spend?from=2026-11-12&to=2026-11-13&tz=Asia/Kolkata").get("window").get("from")
                .asText()).isEqualTo("2026-11-11T18:30:00Z");
    }

    @Test
    void daylightSavingEndsInsideTheWindow() {
        Map<String, BigDecimal> ny = daily("window=30d&tz=America/New_York");
        assertThat(ny.get("2026-10-24")).isEqualByComparingTo("64");
        assertThat(ny.get("2026-11-01")).isEqualByComparingTo("48"); // both 01:30s of the repeated hour
        usd(api.ok("/api/v1/spend?window=30d&tz=America/New_York"), "total_usd", "127");
    }

    @Test
    void allAndMonthToDateUseTheZonesCalendar() {
        Map<String, BigDecimal> mtd = daily("window=mtd&tz=Asia/Tokyo"); // 11-01 00:00 JST = 10-31 15:00 UTC
        assertThat(mtd.keySet()).first().isEqualTo("2026-11-01");
        assertThat(mtd.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo("63");
        Map<String, BigDecimal> all = daily("window=all&tz=America/New_York");
        assertThat(all.keySet()).first().isEqualTo("2026-10-24");
        assertThat(all.keySet()).last().isEqualTo("2026-11-20");
    }
}
