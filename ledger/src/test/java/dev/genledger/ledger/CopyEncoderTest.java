package dev.genledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.genledger.ledger.testing.Rows;
import dev.genledger.ledger.testing.TestDatabases;
import dev.genledger.pricing.Cost;
import dev.genledger.pricing.Usage;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger's rows go to PostgreSQL in the binary COPY format. What lands must be exactly what
 * PostgreSQL makes of the same values as text (how the rows went before, and how a person would
 * write them): the database's own parse of the text is the oracle, compared with {@code =} and as
 * text (so a numeric's scale counts too).
 */
class CopyEncoderTest {
    private HikariDataSource ds;

    @BeforeEach
    void setUp() {
        ds = TestDatabases.fresh();
    }

    @AfterEach
    void tearDown() {
        ds.close();
    }

    @Test
    void numericsTimestampsAndTextLandAsTheirTextWouldHave() throws Exception {
        List<String> decimals = new ArrayList<>(List.of("0", "0.000", "1", "-1", "0.5", "1234.5", "10000", "9999.9999",
                "0.0001", "0.00001", "0.000135", "0.00018", "123456789.123456789", "-0.000000001", "1E+3", "1.50E+5",
                "2.5E-7", "100000000.00000000", "-99999999999999999999.9999", "0.0000000000000000000001"));
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            BigDecimal d = new BigDecimal(new java.math.BigInteger(random.nextInt(120) + 1, random),
                    random.nextInt(40) - 10);
            decimals.add((random.nextBoolean() ? d.negate() : d).toString());
        }
        for (int i = 0; i < 200; i++) { // prices and costs: up to 15 digits, scale 0 to 20 (encoded by division)
            BigDecimal d = new BigDecimal(new java.math.BigInteger(random.nextInt(50) + 1, random), random.nextInt(21));
            decimals.add((random.nextBoolean() ? d.negate() : d).toString());
        }
        List<Instant> instants = new ArrayList<>(List.of(Instant.parse("2026-11-23T10:00:00Z"),
                Instant.parse("2026-11-23T10:00:00.123456500Z"), // half: to the even microsecond, down
                Instant.parse("2026-11-23T10:00:00.123457500Z"), // half: to the even microsecond, up
                Instant.parse("2026-11-23T10:00:00.123456501Z"),
                Instant.parse("2026-11-23T10:00:00.999999999Z"), // into the next second
                Instant.parse("1999-12-31T23:59:59.999999500Z"), // before PostgreSQL's epoch
                Instant.parse("1970-01-01T00:00:00.000000499Z")));
        for (int i = 0; i < 200; i++) {
            instants.add(Instant.ofEpochSecond(1_760_000_000L + random.nextInt(60_000_000), random.nextInt(1_000_000_000)));
        }

        RawCopy raw = new RawCopy();
        List<Generation> rows = new ArrayList<>();
        int n = Math.max(decimals.size(), instants.size());
        for (int i = 0; i < n; i++) {
            BigDecimal d = new BigDecimal(decimals.get(i % decimals.size()));
            Instant at = instants.get(i % instants.size());
            rows.add(Rows.chat(at).toBuilder().id(Uuid7.next())
                    .task("t" + i)
                    .error(i % 3 == 0 ? "tab\there, newline\nthere, back\\slash, nul\0gone, é ✓" : null)
                    .tags(Map.of("k", "v\"" + i))
                    .usage(Usage.builder().inputTokens(i).mediaSeconds(d.abs()).build())
                    .cost(Cost.of(d, BigDecimal.ZERO, d.negate(), "test"))
                    .completedAt(i % 2 == 0 ? at : null)
                    .ttfbMs(i % 2 == 0 ? null : i + 0.25)
                    .build());
        }
        try (Connection c = ds.getConnection()) {
            raw.copy(c, rows);
        }

        String sql = "SELECT input_cost_usd = ?::numeric, input_cost_usd::text, ?::numeric::text,"
                + " media_seconds = abs(?::numeric), other_cost_usd = -?::numeric, cost_usd = 0,"
                + " started_at = ?::timestamptz, started_at::text, ?::timestamptz::text,"
                + " completed_at IS NOT DISTINCT FROM (CASE WHEN input_tokens % 2 = 0 THEN started_at END),"
                + " error, tags->>'k', ttfb_ms FROM generation WHERE task = ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            c.createStatement().execute("SET TIME ZONE 'UTC'");
            for (int i = 0; i < n; i++) {
                String d = new BigDecimal(decimals.get(i % decimals.size())).toPlainString();
                String at = instants.get(i % instants.size()).toString();
                ps.setString(1, d);
                ps.setString(2, d);
                ps.setString(3, d);
                ps.setString(4, d);
                ps.setString(5, at);
                ps.setString(6, at);
                ps.setString(7, "t" + i);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).as("row %d", i).isTrue();
                    assertThat(rs.getBoolean(1)).as("numeric %s", d).isTrue();
                    assertThat(rs.getString(2)).as("numeric %s as text", d).isEqualTo(rs.getString(3));
                    assertThat(rs.getBoolean(4)).as("media seconds %s", d).isTrue();
                    assertThat(rs.getBoolean(5)).as("negated %s", d).isTrue();
                    assertThat(rs.getBoolean(6)).as("sum of %s and -%s", d, d).isTrue();
                    assertThat(rs.getBoolean(7)).as("instant %s", at).isTrue();
                    assertThat(rs.getString(8)).as("instant %s as text", at).isEqualTo(rs.getString(9));
                    assertThat(rs.getBoolean(10)).as("completed_at of row %d", i).isTrue();
                    assertThat(rs.getString(11)).isEqualTo(i % 3 == 0 ? "tab\there, newline\nthere, back\\slash, nulgone, é ✓" : null);
                    assertThat(rs.getString(12)).isEqualTo("v\"" + i);
                    assertThat(rs.getObject(13)).isEqualTo(i % 2 == 0 ? null : i + 0.25);
                }
            }
        }
    }

    /**
     * The writer queues a row as its tuple and reads it back for its rollups and, should the
     * database refuse or miss the batch, for the spool: what it reads back must be the row as the
     * database stores it (the oracle: the same tuple copied in and read out with {@link LedgerRows}).
     */
    @Test
    void aTupleReadBackIsTheRowAsTheDatabaseStoresIt() throws Exception {
        Random random = new Random(7);
        List<Generation> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Instant at = Instant.ofEpochSecond(1_760_000_000L + random.nextInt(60_000_000), random.nextInt(1_000_000_000));
            BigDecimal price = new BigDecimal(new java.math.BigInteger(random.nextInt(90) + 1, random), random.nextInt(30));
            Usage.Builder usage = Usage.builder().inputTokens(random.nextInt(100_000)).outputTokens(i)
                    .cachedInputTokens(i % 7).reasoningTokens(i % 5).characters(i % 11).images(i % 3)
                    .mediaSeconds(new BigDecimal(random.nextInt(10_000)).movePointLeft(random.nextInt(4)))
                    .estimated(i % 4 == 0);
            if (i % 3 == 0) {
                usage.inputAudioTokens(i % 7).outputImageTokens(i % 2).credits(new BigDecimal("12.5"))
                        .attribute("size", "1024x1024").attribute("quality", "h\"igh");
            }
            Generation.Builder g = Rows.chat(at).toBuilder().id(Uuid7.next())
                    .model(i % 10 == 0 ? null : "model-" + i % 4)
                    .modality(Modality.values()[i % Modality.values().length])
                    .task(i % 6 == 0 ? null : "task \t" + i)
                    .articleId(i % 5 == 0 ? null : "a-" + i % 9)
                    .category(i % 2 == 0 ? "news" : null)
                    .contentProduct(i % 3 == 0 ? "newsletter" : null)
                    .pipelineStep(i % 4 == 0 ? "draft" : null)
                    .parentId(i % 4 == 1 ? Uuid7.next() : null)
                    .tags(i % 2 == 0 ? Map.of("team", "growth", "k\"" + i, "v\u00e9") : Map.of())
                    .status(200 + i % 300)
                    .error(i % 3 == 1 ? "reset, nul\0gone, \u2713" : null)
                    .streamed(i % 2 == 1)
                    .state(i % 8 == 0 ? Generation.State.PENDING : Generation.State.COMPLETE)
                    .incomplete(i % 9 == 0)
                    .usage(usage.build())
                    .cost(i % 5 == 4 ? Cost.UNPRICED : Cost.of(price, price.negate(), BigDecimal.ZERO, "p@" + i))
                    .latencyMs(random.nextDouble() * 10_000)
                    .ttfbMs(i % 2 == 0 ? null : random.nextDouble() * 100)
                    .requestBytes(random.nextInt(1 << 30)).responseBytes(i)
                    .upstreamRequestId(i % 7 == 0 ? null : "req-" + i)
                    .completedAt(i % 2 == 0 ? at.plusMillis(i) : null);
            rows.add(g.build());
        }
        try (Connection c = ds.getConnection()) {
            new RawCopy().copy(c, rows);
        }
        Map<java.util.UUID, Generation> stored = new java.util.HashMap<>();
        try (Connection c = ds.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT * FROM generation")) {
            while (rs.next()) {
                Generation g = LedgerRows.read(rs);
                stored.put(g.id(), g);
            }
        }
        assertThat(stored).hasSize(rows.size());
        CopyEncoder encoder = new CopyEncoder(true);
        for (Generation g : rows) {
            encoder.clear();
            encoder.add(g);
            byte[] tuple = java.util.Arrays.copyOf(encoder.buffer(), encoder.length());
            assertThat(CopyDecoder.end(tuple, 0)).isEqualTo(tuple.length);
            Generation back = CopyDecoder.decode(tuple, 0);
            assertThat(back).as("row %s", g.id()).isEqualTo(stored.get(g.id()));
            CopyDecoder.Head head = CopyDecoder.head(tuple, 0);
            assertThat(head).isEqualTo(new CopyDecoder.Head(back.startedAt(), g.articleId(), g.category(),
                    g.contentProduct(), g.state() == Generation.State.PENDING));
        }
    }

    @Test
    void aRowTheTupleCouldNotCarryIsRefusedByTheQueuesEncoder() {
        Generation far = Rows.chat(Instant.parse("+300000-01-01T00:00:00Z"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CopyEncoder(true).add(far))
                .isInstanceOf(IllegalArgumentException.class);
        CopyEncoder lenient = new CopyEncoder();
        lenient.add(far); // the database's own error names it: the writer's path for a refused row
        assertThat(lenient.rows()).isEqualTo(1);
    }
}
