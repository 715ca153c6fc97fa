package dev.genledger.api;

import dev.genledger.ledger.Generation;
import java.util.List;

/** GET /api/v1/generations: newest first; {@code next_cursor} is null on the last page. */
record GenerationPage(List<Generation> items, String nextCursor) {}
