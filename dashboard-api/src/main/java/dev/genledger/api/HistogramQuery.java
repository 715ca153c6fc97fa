package dev.genledger.api;

import java.util.List;
import java.util.Map;

/**
 * Latency histograms per unit: days from latency_hist_daily, hours and spans bucketed from raw rows
 * with the same {@code genledger_latency_bucket}; all from raw rows when a filter is not a histogram
 * dimension (only provider, model and task are).
 */
final class HistogramQuery implements PartialQuery<HistogramPartial> {
    private final Filters filters;
    private final boolean rawOnly;

    HistogramQuery(Filters filters, boolean rawOnly) {
        this.filters = filters;
        this.rawOnly = rawOnly;
    }

    @Override
    public Object cacheKey() {
        return List.of("histogram", filters, rawOnly);
    }

    @Override
    public Source source(Unit u) {
        return !rawOnly && u instanceof Unit.Day && filters.answerableBy(Filters.HISTOGRAM) ? Source.DAILY : Source.RAW;
    }

    @Override
    public Sql sql(Map<Source, List<Unit>> units) {
        return DashboardSql.histogram(units, filters);
    }

    @Override
    public Builder<HistogramPartial> builder() {
        return new HistogramPartial.Builder();
    }

    @Override
    public long weight(HistogramPartial p) {
        return p.weight();
    }
}
