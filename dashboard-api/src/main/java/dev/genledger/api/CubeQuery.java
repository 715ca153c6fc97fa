package dev.genledger.api;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The rollup cube per unit ({@link CubePartial}): days from rollup_daily (plus band hours in a
 * time zone), hours from rollup_hourly, spans from raw rows; everything from raw rows when a filter
 * is not a cube dimension (article_id, tag) or the zone's offset is not a whole number of hours
 * (an hourly row would straddle local midnight).
 */
final class CubeQuery implements PartialQuery<CubePartial> {
    private final Filters filters;
    private final ZoneId zone;
    private final boolean rawOnly;

    CubeQuery(Filters filters, ZoneId zone, boolean rawOnly) {
        this.filters = filters;
        this.zone = zone;
        this.rawOnly = rawOnly;
    }

    @Override
    public Object cacheKey() {
        return List.of("cube", zone, filters, rawOnly);
    }

    @Override
    public Source source(Unit u) {
        if (rawOnly || !filters.answerableBy(Filters.CUBE) || u instanceof Unit.Span || !wholeHours(u)) {
            return Source.RAW;
        }
        return u instanceof Unit.Day ? Source.DAILY : Source.HOURLY;
    }

    private boolean wholeHours(Unit u) {
        if (zone.equals(ZoneOffset.UTC)) {
            return true;
        }
        var rules = zone.getRules();
        return rules.getOffset(u.from()).getTotalSeconds() % 3600 == 0
                && rules.getOffset(u.to().minusNanos(1)).getTotalSeconds() % 3600 == 0;
    }

    @Override
    public Sql sql(Map<Source, List<Unit>> units) {
        return DashboardSql.cube(units, filters, zone);
    }

    @Override
    public Builder<CubePartial> builder() {
        return new CubePartial.Builder();
    }

    @Override
    public long weight(CubePartial p) {
        return p.weight();
    }
}
