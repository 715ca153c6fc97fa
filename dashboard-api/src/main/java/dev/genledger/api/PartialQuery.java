package dev.genledger.api;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An aggregate that can be computed per {@link Unit} and merged: sums, counts, histograms. The
 * {@link UnitEngine} asks it for the units it cannot take from the cache, in one statement whose
 * rows start with the unit they belong to, and merges the pieces.
 *
 * @param <P> the partial aggregate of one unit; immutable once built, so the cache can share it
 */
interface PartialQuery<P> {
    /**
     * What the partial depends on besides the unit (the relation, the filters, the zone), as a value
     * with equals and hashCode.
     */
    Object cacheKey();

    /** Which relation answers the unit. */
    Source source(Unit unit);

    /**
     * One statement for all the units; each row's first column is the unit's start (timestamptz).
     * Units without rows simply have none.
     */
    Sql sql(Map<Source, List<Unit>> units);

    /** Starts a builder of one unit's partial. */
    Builder<P> builder();

    /** An accumulator that merges partials (and reads rows into a builder). */
    interface Builder<P> {
        void add(ResultSet row) throws SQLException;

        void merge(P partial);

        P build();
    }

    /** Approximate bytes of a partial in memory, for the cache's bound. */
    long weight(P partial);

    /** The unit start of a row. */
    static Instant unitOf(ResultSet row) throws SQLException {
        return row.getObject(1, java.time.OffsetDateTime.class).toInstant();
    }
}
