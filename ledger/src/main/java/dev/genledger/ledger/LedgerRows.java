package dev.genledger.ledger;

import dev.genledger.pricing.Cost;
import dev.genledger.pricing.Usage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Reads a {@link Generation} from a result set whose columns carry the {@code generation} table's
 * names. A query that wants a row's effective category selects
 * {@code COALESCE(g.category, a.category) AS category} and reads it through here all the same.
 */
public final class LedgerRows {
    private LedgerRows() {}

    /** The {@code generation} columns, comma-separated, each prefixed with {@code alias.}. */
    public static String columns(String alias) {
        return String.join(", ", LedgerSql.COLUMNS.stream().map(c -> alias + "." + c).toList());
    }

    public static Generation read(ResultSet rs) throws SQLException {
        Usage.Builder u = Usage.builder()
                .inputTokens(rs.getLong("input_tokens"))
                .cachedInputTokens(rs.getLong("cached_input_tokens"))
                .outputTokens(rs.getLong("output_tokens"))
                .reasoningTokens(rs.getLong("reasoning_tokens"))
                .characters(rs.getLong("characters"))
                .images(rs.getLong("images"))
                .mediaSeconds(rs.getBigDecimal("media_seconds"))
                .estimated(rs.getBoolean("estimated"));
        LedgerJson.applyDetail(u, rs.getString("usage_detail"));
        boolean priced = rs.getBoolean("priced");
        Cost cost = priced
                ? new Cost(rs.getBigDecimal("cost_usd"), rs.getBigDecimal("input_cost_usd"),
                        rs.getBigDecimal("output_cost_usd"), rs.getBigDecimal("other_cost_usd"), true,
                        rs.getString("price_ref"))
                : Cost.UNPRICED;
        double ttfb = rs.getDouble("ttfb_ms");
        Double ttfbMs = rs.wasNull() ? null : ttfb;
        String parent = rs.getString("parent_id");
        return Generation.builder()
                .id(UUID.fromString(rs.getString("id")))
                .startedAt(instant(rs.getTimestamp("started_at")))
                .provider(rs.getString("provider"))
                .operation(rs.getString("operation"))
                .endpoint(rs.getString("endpoint"))
                .model(rs.getString("model"))
                .modality(Modality.fromWire(rs.getString("modality")))
                .task(rs.getString("task"))
                .articleId(rs.getString("article_id"))
                .category(rs.getString("category"))
                .contentProduct(rs.getString("content_product"))
                .pipelineStep(rs.getString("pipeline_step"))
                .parentId(parent == null ? null : UUID.fromString(parent))
                .tags(tags(rs.getString("tags")))
                .keyId(rs.getString("key_id"))
                .status(rs.getInt("status"))
                .error(rs.getString("error"))
                .streamed(rs.getBoolean("streamed"))
                .state(Generation.State.fromWire(rs.getString("state")))
                .usage(u.build())
                .cost(cost)
                .latencyMs(rs.getDouble("latency_ms"))
                .ttfbMs(ttfbMs)
                .requestBytes(rs.getLong("request_bytes"))
                .responseBytes(rs.getLong("response_bytes"))
                .upstreamRequestId(rs.getString("upstream_request_id"))
                .incomplete(rs.getBoolean("incomplete"))
                .completedAt(instant(rs.getTimestamp("completed_at")))
                .build();
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    static Map<String, String> tags(String json) {
        if (json == null || json.equals("{}")) {
            return Map.of();
        }
        try (var p = LedgerJson.FACTORY.createParser(json)) {
            Map<String, String> out = new java.util.TreeMap<>();
            LedgerJson.readObject(p).forEach((k, v) -> out.put(k, String.valueOf(v)));
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
