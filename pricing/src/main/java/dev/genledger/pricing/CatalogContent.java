package dev.genledger.pricing;

import java.util.List;

/** What one catalog file holds: model prices and Replicate hardware prices. */
record CatalogContent(List<CatalogEntry> entries, List<HardwarePrice> hardware) {
    CatalogContent {
        entries = List.copyOf(entries);
        hardware = List.copyOf(hardware);
    }
}
