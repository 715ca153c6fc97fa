package dev.genledger.ledger.testing;

import dev.genledger.ledger.Generation;
import dev.genledger.ledger.Modality;
import dev.genledger.ledger.Uuid7;
import dev.genledger.pricing.Cost;
import dev.genledger.pricing.Usage;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;

/** Ledger rows for tests, and small queries over what landed. */
public final class Rows {
    private Rows() {}

    /** A plausible priced chat completion at the given time. */
    public static Generation chat(Instant at) {
        return Generation.builder()
                .id(Uuid7.atExactly(at.toEpochMilli()))
                .startedAt(at)
                .provider("openai")
                .operation("chat")
                .endpoint("POST /v1/chat/completions")
                .model("gpt-4o-mini-2024-07-18")
                .modality(Modality.TEXT)
                .task("article_rewrite")
                .articleId("article-1")
                .tags(Map.of("team", "growth"))
                .keyId("0123456789abcdef")
                .status(200)
                .usage(Usage.builder().inputTokens(1000).cachedInputTokens(200).outputTokens(300).build())
                .cost(Cost.of(new BigDecimal("0.000135"), new BigDecimal("0.00018"), BigDecimal.ZERO, "test"))
                .latencyMs(812.5)
                .ttfbMs(120.25)
                .requestBytes(2048)
                .responseBytes(1024)
                .upstreamRequestId("req_123")
                .build();
    }

    public static long count(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static BigDecimal decimal(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getBigDecimal(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static void exec(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
