package dev.genledger.api;

import java.math.BigDecimal;
import java.util.List;

/**
 * GET /api/v1/content: generations with an article. {@code articles} counts distinct articles; an
 * article whose generations carry different categories counts once in each of them.
 */
record ContentReport(WindowView window, BigDecimal totalContentUsd, long articles, long generations,
                     long unpricedGenerations, BigDecimal avgCostPerArticleUsd, BigDecimal avgTokensPerArticle,
                     List<TopArticle> topArticles, List<ByContentProduct> byContentProduct,
                     List<ByCategory> byCategory) {

    /** @param category the article's own metadata (PUT /api/v1/articles/{id}, else first seen headers) */
    record TopArticle(String articleId, String title, String category, String contentProduct, BigDecimal totalUsd,
                      long tokens, long generations, long unpricedGenerations) {}

    record ByContentProduct(String contentProduct, BigDecimal totalUsd, long articles, long generations,
                            long unpricedGenerations) {}

    record ByCategory(String category, BigDecimal totalUsd, long articles, long generations,
                      long unpricedGenerations) {}
}
