package dev.genledger.api;

import dev.genledger.pricing.PriceEntry;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * GET /api/v1/pricing: the effective price catalog, and the models the ledger holds unpriced
 * generations of (cost null, {@code priced=false}: never a made-up price).
 *
 * @param unpricedModels     from the ledger, all time
 * @param unpricedModelsSeen {@code provider/model} names this process could not price since it started
 */
record PricingView(List<Entry> entries, List<UnpricedModel> unpricedModels, List<String> unpricedModelsSeen) {

    record Entry(String provider, String model, List<String> aliases, String effectiveFrom,
                 Map<String, BigDecimal> rates, String source, String origin) {
        static Entry of(PriceEntry e) {
            return new Entry(e.provider(), e.model(), e.aliases(), e.effectiveFrom().toString(), e.rates(), e.source(),
                    e.origin());
        }
    }

    record UnpricedModel(String provider, String model, long unpricedGenerations, String lastDay) {}
}
