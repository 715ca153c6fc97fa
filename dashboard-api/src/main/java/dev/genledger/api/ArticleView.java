package dev.genledger.api;

import dev.genledger.ledger.Generation;
import java.math.BigDecimal;
import java.util.List;

/**
 * GET /api/v1/articles/{id}: the article's metadata, its totals and its lineage, every generation
 * made for it in time order (each with task, model, cost, latency and {@code parent_id}).
 */
record ArticleView(String articleId, String title, String category, String contentProduct, String url,
                   String publishedAt, String firstSeenAt, BigDecimal totalUsd, long tokens, long unpricedGenerations,
                   List<Generation> generations) {}
