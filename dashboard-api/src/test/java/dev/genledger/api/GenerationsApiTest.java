package dev.genledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genledger.ledger.Generation;
import dev.genledger.ledger.Uuid7;
import dev.genledger.ledger.testing.Rows;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** /api/v1/generations: cursor pagination, the CSV export, one generation by id. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GenerationsApiTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private ApiServer api;
    private final List<Generation> rows = new ArrayList<>();

    @BeforeAll
    void start(@TempDir Path dataDir) {
        api = new ApiServer(dataDir, NOW);
        // 300 rows over the last 3 days; every third shares its timestamp with the one before (ties on started_at)
        Instant t = NOW.minusSeconds(3 * 86_400);
        for (int i = 0; i < 300; i++) {
            if (i % 3 != 2) {
                t = t.plusSeconds(800);
            }
            rows.add(Rows.chat(t).toBuilder().id(Uuid7.atExactly(t.toEpochMilli()))
                    .provider(i % 2 == 0 ? "openai" : "gemini")
                    .error(i == 7 ? "a \"quoted\", multi-line\nerror" : null)
                    .tags(i % 5 == 0 ? Map.of("team", "growth", "feature", "chat,bot") : Map.of())
                    .build());
        }
        api.write(rows);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    private List<String> expectedNewestFirst() {
        return rows.stream()
                .sorted(Comparator.comparing(Generation::startedAt).thenComparing(Generation::id).reversed())
                .map(g -> g.id().toString()).toList();
    }

    @Test
    void pagesWalkTheWholeWindowNewestFirstWithoutDuplicatesOrGaps() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.ok("/api/v1/generations?window=7d&limit=7" + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("items").forEach(item -> seen.add(item.get("id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 100);
        assertThat(pages).isEqualTo(43); // 300 / 7 = 42 full pages + 6 rows
        assertThat(seen).containsExactlyElementsOf(expectedNewestFirst());
    }

    @Test
    void filtersApplyToTheListing() {
        JsonNode page = api.ok("/api/v1/generations?window=7d&provider=gemini&limit=1000");
        assertThat(page.get("items")).hasSize(150);
        page.get("items").forEach(i -> assertThat(i.get("provider").asText()).isEqualTo("gemini"));
        assertThat(page.get("next_cursor").isNull()).isTrue();
        assertThat(api.ok("/api/v1/generations?window=7d&tag=team:growth&limit=1000").get("items")).hasSize(60);
    }

    @Test
    void csvStreamsTheSameRowsWithTheJsonKeysInTheSameOrder() {
        ApiServer.Reply csv = api.get("/api/v1/generations?window=7d&format=csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        // streamed: chunked, no length known up front
        assertThat(csv.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(csv.header("Content-Length")).isNull();

        List<List<String>> records = parseCsv(csv.body());
        JsonNode first = api.ok("/api/v1/generations?window=7d&limit=1").get("items").get(0);
        List<String> keys = new ArrayList<>();
        first.fieldNames().forEachRemaining(keys::add);
        assertThat(records.get(0)).containsExactlyElementsOf(keys);
        assertThat(records).hasSize(301);
        assertThat(records.subList(1, 301).stream().map(r -> r.get(0)).toList())
                .containsExactlyElementsOf(expectedNewestFirst());

        // the newest row's cells are its JSON values
        List<String> row = records.get(1);
        for (int i = 0; i < keys.size(); i++) {
            JsonNode v = first.get(keys.get(i));
            String expected = v.isNull() ? "" : v.isContainerNode() ? v.toString() : v.asText();
            if (v.isNumber()) {
                assertThat(new java.math.BigDecimal(row.get(i))).as(keys.get(i)).isEqualByComparingTo(v.decimalValue());
            } else {
                assertThat(row.get(i)).as(keys.get(i)).isEqualTo(expected);
            }
        }
        // quotes, commas and newlines survive
        String withError = rows.get(7).id().toString();
        List<String> errorRow = records.stream().filter(r -> r.get(0).equals(withError)).findFirst().orElseThrow();
        assertThat(errorRow.get(keys.indexOf("error"))).isEqualTo("a \"quoted\", multi-line\nerror");
        String tagged = rows.get(0).id().toString();
        List<String> tagRow = records.stream().filter(r -> r.get(0).equals(tagged)).findFirst().orElseThrow();
        assertThat(tagRow.get(keys.indexOf("tags"))).isEqualTo("{\"feature\":\"chat,bot\",\"team\":\"growth\"}");
    }

    @Test
    void acceptTextCsvAsksForCsvToo() {
        ApiServer.Reply csv = api.get("/api/v1/generations?window=7d&provider=openai", "Accept", "text/csv");
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(parseCsv(csv.body())).hasSize(151);
    }

    @Test
    void oneGenerationById() {
        Generation g = rows.get(42);
        JsonNode one = api.ok("/api/v1/generations/" + g.id());
        assertThat(one.get("id").asText()).isEqualTo(g.id().toString());
        assertThat(one.get("started_at").asText()).isEqualTo(g.startedAt().toString());
        ApiServer.Reply missing = api.get("/api/v1/generations/" + Uuid7.atExactly(0));
        assertThat(missing.status()).isEqualTo(404);
        ApiServer.Reply bad = api.get("/api/v1/generations/not-a-uuid");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").get("parameter").asText()).isEqualTo("id");
        assertThat(api.get("/api/v1/generations/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    /** The lookup bounds started_at by the id's time; an id made after the row's start is still found. */
    @Test
    void aGenerationWhoseIdWasMadeLaterThanItsStartIsFound() {
        Instant start = NOW.minus(Duration.ofDays(30)); // outside every window the other tests read
        Generation later = Rows.chat(start).toBuilder().id(Uuid7.atExactly(start.plus(Duration.ofHours(6)).toEpochMilli()))
                .build();
        Generation tooLate = Rows.chat(start).toBuilder().id(Uuid7.atExactly(start.plus(Duration.ofDays(2)).toEpochMilli()))
                .build();
        api.write(List.of(later, tooLate));
        assertThat(api.ok("/api/v1/generations/" + later.id()).get("id").asText()).isEqualTo(later.id().toString());
        // beyond the day of slack the lookup does not look: ids are never made that long after a start
        assertThat(api.get("/api/v1/generations/" + tooLate.id()).status()).isEqualTo(404);
    }

    /** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; records end with CRLF. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> out = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                record.add(cell.toString());
                cell.setLength(0);
                out.add(record);
                record = new ArrayList<>();
                i++;
            } else {
                cell.append(c);
            }
        }
        return out;
    }
}
