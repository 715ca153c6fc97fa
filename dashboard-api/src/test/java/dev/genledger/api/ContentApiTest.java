package dev.genledger.api;

import static dev.genledger.api.HandLedger.count;
import static dev.genledger.api.HandLedger.isNull;
import static dev.genledger.api.HandLedger.usd;
import static dev.genledger.api.SpendApiTest.names;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/v1/content and /api/v1/articles/{id} over {@link HandLedger}, worked out by hand. */
class ContentApiTest {
    @TempDir
    Path dataDir;

    private ApiServer api;

    @BeforeEach
    void start() {
        api = new ApiServer(dataDir, HandLedger.NOW);
        api.write(HandLedger.ROWS);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void sevenDaysAnswersEveryKeyAsWorkedOutByHand() {
        JsonNode c = api.ok("/api/v1/content?window=7d");
        // generations with an article: A1 = R1 R2 R3 (R9 is a poll), A2 = R7 R4 R5
        usd(c, "total_content_usd", "0.36307"); // A1 0.0627 + A2 0.30037
        count(c, "articles", 2);
        count(c, "generations", 6);
        count(c, "unpriced_generations", 0);
        usd(c, "avg_cost_per_article_usd", "0.181535"); // 0.36307 / 2
        // tokens: A1 (1000+500) + (2000+1000) + (50+0) = 4550; A2 400+100 = 500 → 5050 / 2
        usd(c, "avg_tokens_per_article", "2525");

        JsonNode top = c.get("top_articles");
        assertThat(names(top, "article_id")).containsExactly("A2", "A1");
        JsonNode a2 = top.get(0);
        usd(a2, "total_usd", "0.30037");
        count(a2, "tokens", 500);
        count(a2, "generations", 3);
        isNull(a2, "title");
        isNull(a2, "category");        // A2 was first seen (R7) without headers
        JsonNode a1 = top.get(1);
        usd(a1, "total_usd", "0.0627");
        count(a1, "tokens", 4550);
        assertThat(a1.get("category").asText()).isEqualTo("politics");       // first seen with R1's headers
        assertThat(a1.get("content_product").asText()).isEqualTo("article");

        // by product: R5 + R7 have none (A2 has none), R4 says newsletter, A1's rows are article
        JsonNode products = c.get("by_content_product");
        assertThat(names(products, "content_product")).containsExactly(null, "article", "newsletter");
        usd(products.get(0), "total_usd", "0.3");
        count(products.get(0), "articles", 1);
        count(products.get(0), "generations", 2);
        usd(products.get(1), "total_usd", "0.0627");
        count(products.get(1), "generations", 3);
        usd(products.get(2), "total_usd", "0.00037");

        // by category: A2 is counted in sport (R4's header) and in none (R5, R7): distinct articles per category
        JsonNode categories = c.get("by_category");
        assertThat(names(categories, "category")).containsExactly(null, "politics", "sport");
        count(categories.get(0), "articles", 1);
        count(categories.get(1), "articles", 1);
        count(categories.get(2), "articles", 1);
        usd(categories.get(2), "total_usd", "0.00037");

        // limit keeps the most expensive
        assertThat(names(api.ok("/api/v1/content?window=7d&limit=1").get("top_articles"), "article_id"))
                .containsExactly("A2");
        // 30d adds A3 (R10)
        JsonNode month = api.ok("/api/v1/content");
        count(month, "articles", 3);
        usd(month, "total_content_usd", "0.37557"); // 0.36307 + 0.0125
    }

    @Test
    void filtersNarrowContentToo() {
        JsonNode sport = api.ok("/api/v1/content?window=7d&category=sport");
        usd(sport, "total_content_usd", "0.00037");
        count(sport, "articles", 1);
        JsonNode gemini = api.ok("/api/v1/content?window=7d&provider=gemini"); // raw rows: R4
        usd(gemini, "total_content_usd", "0.00037");
        JsonNode a1 = api.ok("/api/v1/content?window=7d&article_id=A1");
        usd(a1, "total_content_usd", "0.0627");
        count(a1, "generations", 3);
    }

    @Test
    void lineageListsTheArticlesGenerationsInTimeOrder() {
        JsonNode a = api.ok("/api/v1/articles/A1");
        assertThat(a.get("article_id").asText()).isEqualTo("A1");
        assertThat(a.get("category").asText()).isEqualTo("politics");
        usd(a, "total_usd", "0.0627");
        count(a, "tokens", 4550);
        JsonNode g = a.get("generations");
        assertThat(names(g, "id")).containsExactly(HandLedger.R1.id().toString(), HandLedger.R2.id().toString(),
                HandLedger.R3.id().toString()); // R9, a poll, is not a generation
        isNull(g.get(0), "parent_id");
        assertThat(g.get(1).get("parent_id").asText()).isEqualTo(HandLedger.R1.id().toString());
        assertThat(g.get(2).get("parent_id").asText()).isEqualTo(HandLedger.R2.id().toString());
        assertThat(g.get(2).get("task").asText()).isEqualTo("image_brief");
        assertThat(g.get(2).get("model").asText()).isEqualTo("gpt-image-1");
        usd(g.get(2), "cost_usd", "0.0402");
        HandLedger.number(g.get(2), "latency_ms", 10000.0);
        // effective category: R2 and R3 carry none, A1's applies
        assertThat(g.get(2).get("category").asText()).isEqualTo("politics");

        ApiServer.Reply missing = api.get("/api/v1/articles/nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").get("code").asText()).isEqualTo("not_found");
    }

    @Test
    void putMovesTheArticlesGenerationsToItsNewCategoryInContentAndSpend() {
        ApiServer.Reply put = api.put("/api/v1/articles/A2",
                "{\"title\":\"Match report\",\"category\":\"culture\",\"content_product\":\"podcast\","
                        + "\"url\":\"https://example.com/a2\",\"published_at\":\"2026-11-19T06:00:00Z\"}");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().get("title").asText()).isEqualTo("Match report");
        assertThat(put.json().get("published_at").asText()).isEqualTo("2026-11-19T06:00:00Z");

        JsonNode c = api.ok("/api/v1/content?window=7d");
        // R5 and R7 had no headers: they follow A2 to culture/podcast; R4 keeps its own sport/newsletter
        JsonNode categories = c.get("by_category");
        assertThat(names(categories, "category")).containsExactly("culture", "politics", "sport");
        usd(categories.get(0), "total_usd", "0.3");
        count(categories.get(0), "generations", 2);
        assertThat(names(c.get("by_content_product"), "content_product"))
                .containsExactly("podcast", "article", "newsletter");
        JsonNode a2 = c.get("top_articles").get(0);
        assertThat(a2.get("title").asText()).isEqualTo("Match report");
        assertThat(a2.get("category").asText()).isEqualTo("culture");

        JsonNode spend = api.ok("/api/v1/spend?window=7d&category=culture"); // from the re-attributed rollups
        usd(spend, "total_usd", "0.3");
        count(spend, "generations", 2);

        // a new article by PUT, before any generation
        assertThat(api.put("/api/v1/articles/A9", "{\"title\":\"Soon\"}").status()).isEqualTo(200);
        JsonNode a9 = api.ok("/api/v1/articles/A9");
        assertThat(a9.get("title").asText()).isEqualTo("Soon");
        assertThat(a9.get("generations")).isEmpty();
    }

    @Test
    void putRejectsBodiesItCannotStore() {
        ApiServer.Reply notJson = api.put("/api/v1/articles/A2", "{title");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("error").get("message").asText()).contains("not JSON");
        ApiServer.Reply unknown = api.put("/api/v1/articles/A2", "{\"titel\":\"x\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").get("message").asText()).contains("titel").contains("title");
        ApiServer.Reply badDate = api.put("/api/v1/articles/A2", "{\"published_at\":\"yesterday\"}");
        assertThat(badDate.status()).isEqualTo(400);
        assertThat(badDate.json().get("error").get("parameter").asText()).isEqualTo("published_at");
        ApiServer.Reply number = api.put("/api/v1/articles/A2", "{\"title\":5}");
        assertThat(number.status()).isEqualTo(400);
    }
}
