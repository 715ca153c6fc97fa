package dev.genledger.pricing;

import java.util.List;
import java.util.Set;

/** The effective price catalog, for display: every entry with its history. */
public interface PriceList {
    /** All entries, current and past (effective dates tell them apart), sorted by provider and model. */
    List<PriceEntry> entries();

    /** Models this process was asked to price and could not, as {@code provider/model}. */
    Set<String> unpricedModelsSeen();
}
