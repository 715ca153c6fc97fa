package dev.genledger.api;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Computes an aggregate over a window's units: closed days and hours from the cache when their
 * version still matches, everything else in one statement, then merges the pieces. Run inside one
 * snapshot ({@link Db#inSnapshot}) so the versions and the rows agree.
 */
final class UnitEngine {
    private final UnitCache cache;
    private final Clock clock;
    private final java.util.concurrent.atomic.LongAdder computed = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder hits = new java.util.concurrent.atomic.LongAdder();

    UnitEngine(UnitCache cache, Clock clock) {
        this.cache = cache;
        this.clock = clock;
    }

    <P> P run(Connection c, List<Unit> units, PartialQuery<P> q) throws SQLException {
        Instant now = clock.instant();
        List<Unit> closed = units.stream().filter(u -> !(u instanceof Unit.Span) && !u.to().isAfter(now)).toList();
        NavigableMap<Instant, Long> versions = closed.isEmpty() ? new TreeMap<>()
                : versions(c, closed.get(0).from(), closed.get(closed.size() - 1).to());
        PartialQuery.Builder<P> total = q.builder();
        Map<Unit, Long> toCache = new HashMap<>();
        List<Unit> computed = new ArrayList<>();
        for (Unit u : units) {
            boolean cacheable = !(u instanceof Unit.Span) && !u.to().isAfter(now);
            if (cacheable) {
                long v = version(versions, u);
                P hit = cache.get(new UnitCache.Key(q.cacheKey(), u), v);
                if (hit != null) {
                    hits.increment();
                    total.merge(hit);
                    continue;
                }
                toCache.put(u, v);
            }
            computed.add(u);
        }
        if (computed.isEmpty()) {
            return total.build();
        }
        this.computed.add(computed.size());
        for (List<Unit> batch : batches(computed, q)) {
            Map<Source, List<Unit>> bySource = new EnumMap<>(Source.class);
            Map<Instant, PartialQuery.Builder<P>> builders = new HashMap<>();
            for (Unit u : batch) {
                bySource.computeIfAbsent(q.source(u), s -> new ArrayList<>()).add(u);
                builders.put(u.from(), q.builder());
            }
            Db.query(c, q.sql(bySource), rs -> {
                while (rs.next()) {
                    PartialQuery.Builder<P> b = builders.get(PartialQuery.unitOf(rs));
                    if (b == null) {
                        throw new IllegalStateException("a row of unit " + PartialQuery.unitOf(rs) + " that was not asked for");
                    }
                    b.add(rs);
                }
                return null;
            });
            for (Unit u : batch) {
                P p = builders.get(u.from()).build();
                Long v = toCache.get(u);
                if (v != null) {
                    cache.put(new UnitCache.Key(q.cacheKey(), u), v, p, q.weight(p));
                }
                total.merge(p);
            }
        }
        return total.build();
    }

    /** Raw days per statement: a week of raw rows is seconds of work at 10 million rows, well within the timeout. */
    static final int RAW_DAYS_PER_STATEMENT = 7;

    /**
     * Statements of at most {@link #RAW_DAYS_PER_STATEMENT} days read from raw rows (a filter the
     * rollups cannot answer, over a long window), so each is bounded and its units are cached as it
     * completes: a slow first answer is never lost to the statement timeout.
     */
    private static <P> List<List<Unit>> batches(List<Unit> units, PartialQuery<P> q) {
        List<List<Unit>> out = new ArrayList<>();
        List<Unit> current = new ArrayList<>();
        int rawDays = 0;
        for (Unit u : units) {
            boolean rawDay = u instanceof Unit.Day && q.source(u) == Source.RAW;
            if (rawDay && rawDays == RAW_DAYS_PER_STATEMENT) {
                out.add(current);
                current = new ArrayList<>();
                rawDays = 0;
            }
            current.add(u);
            rawDays += rawDay ? 1 : 0;
        }
        out.add(current);
        return out;
    }

    /** Units computed from the database so far (cache misses, spans, open days and hours). */
    long computedUnits() {
        return computed.sum();
    }

    /** Units served from the cache so far. */
    long cachedUnits() {
        return hits.sum();
    }

    /** Hour versions in {@code [from, to)}; an hour without a row is version 0. */
    private static NavigableMap<Instant, Long> versions(Connection c, Instant from, Instant to) throws SQLException {
        return Db.query(c, DashboardSql.versions(from, to), rs -> {
            NavigableMap<Instant, Long> m = new TreeMap<>();
            while (rs.next()) {
                m.put(PartialQuery.unitOf(rs), rs.getLong(2));
            }
            return m;
        });
    }

    /** A unit's version: its hour's, or for a day the sum of its hours' (each only ever grows). */
    private static long version(NavigableMap<Instant, Long> versions, Unit u) {
        long v = 0;
        for (long x : versions.subMap(u.from(), true, u.to(), false).values()) {
            v += x;
        }
        return v;
    }
}
