package dev.genledger.api;

import java.util.List;
import java.util.Map;

/** Spend by one tag key per unit: days from tag_daily when there are no filters, else raw rows. */
final class TagQuery implements PartialQuery<TagPartial> {
    private final Filters filters;
    private final String tagKey;
    private final boolean rawOnly;

    TagQuery(Filters filters, String tagKey, boolean rawOnly) {
        this.filters = filters;
        this.tagKey = tagKey;
        this.rawOnly = rawOnly;
    }

    @Override
    public Object cacheKey() {
        return List.of("tag", tagKey, filters, rawOnly);
    }

    @Override
    public Source source(Unit u) {
        return !rawOnly && u instanceof Unit.Day && filters.isEmpty() ? Source.DAILY : Source.RAW;
    }

    @Override
    public Sql sql(Map<Source, List<Unit>> units) {
        return DashboardSql.tags(units, filters, tagKey);
    }

    @Override
    public Builder<TagPartial> builder() {
        return new TagPartial.Builder();
    }

    @Override
    public long weight(TagPartial p) {
        return p.weight();
    }
}
