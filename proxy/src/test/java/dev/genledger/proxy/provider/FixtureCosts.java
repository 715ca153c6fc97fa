package dev.genledger.proxy.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.ledger.Finalization;
import dev.genledger.pricing.Cost;
import dev.genledger.pricing.PriceCatalog;
import dev.genledger.pricing.Usage;
import java.time.Instant;

/**
 * Prices what an adapter observed from a fixture with the bundled catalog on one fixed day, the
 * way the proxy prices a complete row and the ledger prices a finalised one, for tests that work
 * the expected cost out by hand (issue 5).
 */
public final class FixtureCosts {
    /** Every fixture is priced as if it ran on this day, so that the expected amounts do not move. */
    public static final Instant AT = Instant.parse("2026-11-01T12:00:00Z");

    private final PriceCatalog catalog;
    private final String provider;

    /** Prices with the bundled catalog. */
    public FixtureCosts(String provider) {
        this(provider, PriceCatalog.bundled());
    }

    public FixtureCosts(String provider, PriceCatalog catalog) {
        this.provider = provider;
        this.catalog = catalog;
    }

    /** The cost of a complete row: the observation's model, operation and usage on {@link #AT}. */
    public Cost of(Observation o) {
        return catalog.price(provider, o.model(), o.operation(), o.usage(), AT);
    }

    /**
     * The cost of a pending row once a poll finished its job: the pending row keeps its own model
     * and operation, and its usage is merged with the finished job's as the ledger merges it.
     */
    public Cost finalised(Observation pending, AsyncJob.Finished done) {
        return catalog.price(provider, pending.model(), pending.operation(), finalUsage(pending, done), AT);
    }

    /**
     * The cost of a pending row of {@code model} whose create is not among the fixtures: a pending
     * create observes no usage, so the finished job's usage is all there is to merge.
     */
    public Cost finalised(String model, String operation, AsyncJob.Finished done) {
        return catalog.price(provider, model, operation, merge(Usage.NONE, done), AT);
    }

    /** The pending row's usage after the finalisation the proxy sends for {@code done}. */
    public Usage finalUsage(Observation pending, AsyncJob.Finished done) {
        assertThat(pending.job()).as("the create started a job").isInstanceOf(AsyncJob.Started.class);
        return merge(pending.usage(), done);
    }

    private Usage merge(Usage pending, AsyncJob.Finished done) {
        return new Finalization(provider, done.jobId(), AT, done.status(), done.error(), done.usage(), done.outputs())
                .merge(pending);
    }

    /**
     * Asserts a priced cost part by part, each against an amount worked out by hand.
     *
     * @param priceRef the catalog entry expected to price it, {@code provider/model@effective_from}
     */
    public static void assertCost(Cost cost, String priceRef, String totalUsd, String inputUsd, String outputUsd,
                                  String otherUsd) {
        assertThat(cost.priced()).as("priced").isTrue();
        assertThat(cost.priceRef()).as("price entry").isEqualTo(priceRef);
        assertThat(cost.inputCostUsd()).as("input cost").isEqualByComparingTo(inputUsd);
        assertThat(cost.outputCostUsd()).as("output cost").isEqualByComparingTo(outputUsd);
        assertThat(cost.otherCostUsd()).as("other cost").isEqualByComparingTo(otherUsd);
        assertThat(cost.costUsd()).as("total cost").isEqualByComparingTo(totalUsd);
    }

    /** Asserts the catalog has no price for what was observed: the row is recorded unpriced. */
    public static void assertUnpriced(Cost cost) {
        assertThat(cost).isEqualTo(Cost.UNPRICED);
    }
}
