package dev.genledger.api;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * Sums of rollup_daily/rollup_hourly measures by (provider, model, modality, task, key) — the
 * dimensions Spend and Performance break down by — by local day for the daily series, and by
 * effective category and content product on their own (Spend's last two breakdowns). A unit of 10
 * million rows' worth of ledger has a few hundred cells: category and content product are summed
 * into their own small maps rather than multiplying the cells.
 */
final class CubePartial {
    record Key(String provider, String model, String modality, String task, String keyId) {}

    /** Measures of one cell; mutable only while a partial is being built. */
    static final class Sums {
        long generations;
        long errors;
        long unpriced;
        long pending;
        long inputTokens;
        long outputTokens;
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal inputCost = BigDecimal.ZERO;
        BigDecimal outputCost = BigDecimal.ZERO;
        double latencyMs;
        double ttfbMs;
        double genMs;

        void add(Sums o) {
            generations += o.generations;
            errors += o.errors;
            unpriced += o.unpriced;
            pending += o.pending;
            inputTokens += o.inputTokens;
            outputTokens += o.outputTokens;
            cost = cost.add(o.cost);
            inputCost = inputCost.add(o.inputCost);
            outputCost = outputCost.add(o.outputCost);
            latencyMs += o.latencyMs;
            ttfbMs += o.ttfbMs;
            genMs += o.genMs;
        }

        static Sums read(ResultSet rs) throws SQLException {
            Sums s = new Sums();
            s.generations = rs.getLong("generations");
            s.errors = rs.getLong("errors");
            s.unpriced = rs.getLong("unpriced");
            s.pending = rs.getLong("pending");
            s.inputTokens = rs.getLong("input_tokens");
            s.outputTokens = rs.getLong("output_tokens");
            s.cost = zero(rs.getBigDecimal("cost_usd"));
            s.inputCost = zero(rs.getBigDecimal("input_cost_usd"));
            s.outputCost = zero(rs.getBigDecimal("output_cost_usd"));
            s.latencyMs = rs.getDouble("latency_ms_sum");
            s.ttfbMs = rs.getDouble("ttfb_ms_sum");
            s.genMs = rs.getDouble("gen_ms_sum");
            return s;
        }

        private static BigDecimal zero(BigDecimal v) {
            return v == null ? BigDecimal.ZERO : v;
        }
    }

    /** The day series' measures: cost split into llm and media, counts for cost per generation. */
    static final class DaySums {
        long generations;
        long unpriced;
        long pending;
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal llm = BigDecimal.ZERO;
        BigDecimal media = BigDecimal.ZERO;

        void add(DaySums o) {
            generations += o.generations;
            unpriced += o.unpriced;
            pending += o.pending;
            cost = cost.add(o.cost);
            llm = llm.add(o.llm);
            media = media.add(o.media);
        }

        void add(String modality, Sums s) {
            generations += s.generations;
            unpriced += s.unpriced;
            pending += s.pending;
            cost = cost.add(s.cost);
            switch (modality) {
                case "text", "embedding" -> llm = llm.add(s.cost);
                case "image", "audio", "video" -> media = media.add(s.cost);
                default -> { } // not a generation; never in a rollup
            }
        }
    }

    final Map<Key, Sums> cells;
    final Map<LocalDate, DaySums> days;
    final Map<String, Sums> categories;
    final Map<String, Sums> contentProducts;

    private CubePartial(Map<Key, Sums> cells, Map<LocalDate, DaySums> days, Map<String, Sums> categories,
                        Map<String, Sums> contentProducts) {
        this.cells = cells;
        this.days = days;
        this.categories = categories;
        this.contentProducts = contentProducts;
    }

    long weight() {
        return 64 + (cells.size() + categories.size() + contentProducts.size()) * 260L + days.size() * 160L;
    }

    static final class Builder implements PartialQuery.Builder<CubePartial> {
        private final Map<Key, Sums> cells = new HashMap<>();
        private final Map<LocalDate, DaySums> days = new HashMap<>();
        private final Map<String, Sums> categories = new HashMap<>();
        private final Map<String, Sums> contentProducts = new HashMap<>();

        @Override
        public void add(ResultSet rs) throws SQLException {
            Key k = new Key(rs.getString("provider"), rs.getString("model"), rs.getString("modality"),
                    rs.getString("task"), rs.getString("key_id"));
            Sums s = Sums.read(rs);
            cells.computeIfAbsent(k, x -> new Sums()).add(s);
            days.computeIfAbsent(rs.getObject("d", LocalDate.class), x -> new DaySums()).add(k.modality(), s);
            categories.computeIfAbsent(rs.getString("category"), x -> new Sums()).add(s);
            contentProducts.computeIfAbsent(rs.getString("content_product"), x -> new Sums()).add(s);
        }

        @Override
        public void merge(CubePartial p) {
            p.cells.forEach((k, s) -> cells.computeIfAbsent(k, x -> new Sums()).add(s));
            p.days.forEach((d, s) -> days.computeIfAbsent(d, x -> new DaySums()).add(s));
            p.categories.forEach((c, s) -> categories.computeIfAbsent(c, x -> new Sums()).add(s));
            p.contentProducts.forEach((c, s) -> contentProducts.computeIfAbsent(c, x -> new Sums()).add(s));
        }

        @Override
        public CubePartial build() {
            return new CubePartial(cells, days, categories, contentProducts);
        }
    }
}
