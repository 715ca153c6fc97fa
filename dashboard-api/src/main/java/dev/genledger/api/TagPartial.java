package dev.genledger.api;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** Spend by the values of one tag key, tagged generations only (the untagged are the total minus these). */
final class TagPartial {
    static final class Sums {
        long generations;
        long unpriced;
        BigDecimal cost = BigDecimal.ZERO;

        void add(Sums o) {
            generations += o.generations;
            unpriced += o.unpriced;
            cost = cost.add(o.cost);
        }
    }

    final Map<String, Sums> values;

    private TagPartial(Map<String, Sums> values) {
        this.values = values;
    }

    long weight() {
        return 64 + values.size() * 120L;
    }

    static final class Builder implements PartialQuery.Builder<TagPartial> {
        private final Map<String, Sums> values = new HashMap<>();

        @Override
        public void add(ResultSet rs) throws SQLException {
            Sums s = values.computeIfAbsent(rs.getString("value"), k -> new Sums());
            s.generations += rs.getLong("generations");
            s.unpriced += rs.getLong("unpriced");
            BigDecimal c = rs.getBigDecimal("cost_usd");
            s.cost = c == null ? s.cost : s.cost.add(c);
        }

        @Override
        public void merge(TagPartial p) {
            p.values.forEach((v, s) -> values.computeIfAbsent(v, k -> new Sums()).add(s));
        }

        @Override
        public TagPartial build() {
            return new TagPartial(values);
        }
    }
}
