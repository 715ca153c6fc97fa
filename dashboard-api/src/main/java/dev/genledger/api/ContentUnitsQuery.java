package dev.genledger.api;

import java.util.List;
import java.util.Map;

/**
 * Content per unit: days from article_daily, hours and spans from raw rows with an article; all
 * from raw rows when a filter is not an article_daily dimension (provider, model, task, key, tag).
 */
final class ContentUnitsQuery implements PartialQuery<ContentPartial> {
    private final Filters filters;
    private final boolean rawOnly;

    ContentUnitsQuery(Filters filters, boolean rawOnly) {
        this.filters = filters;
        this.rawOnly = rawOnly;
    }

    @Override
    public Object cacheKey() {
        return List.of("content", filters, rawOnly);
    }

    @Override
    public Source source(Unit u) {
        return !rawOnly && u instanceof Unit.Day && filters.answerableBy(Filters.ARTICLES) ? Source.DAILY : Source.RAW;
    }

    @Override
    public Sql sql(Map<Source, List<Unit>> units) {
        return DashboardSql.content(units, filters);
    }

    @Override
    public Builder<ContentPartial> builder() {
        return new ContentPartial.Builder();
    }

    @Override
    public long weight(ContentPartial p) {
        return p.weight();
    }
}
