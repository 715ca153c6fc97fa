package dev.genledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Health, pricing, metrics, the OpenAPI document, static files and unknown routes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerBasicsTest {
    private ApiServer api;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        api = new ApiServer(dataDir, HandLedger.NOW);
        api.write(HandLedger.ROWS);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void healthReportsTheDatabaseAndTheWriter() {
        JsonNode h = api.ok("/api/v1/health");
        assertThat(h.get("status").asText()).isEqualTo("ok");
        assertThat(h.get("database").asText()).isEqualTo("up");
        JsonNode ledger = h.get("ledger");
        assertThat(ledger.get("queued").asLong()).isZero();
        assertThat(ledger.get("spooled").asLong()).isZero();
        assertThat(ledger.get("written").asLong()).isEqualTo(HandLedger.ROWS.size());
    }

    @Test
    void healthSaysDownWith503WhenTheDatabaseIsGone() {
        var config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/none"); // nothing listens on port 1
        config.setConnectionTimeout(250);
        config.setInitializationFailTimeout(-1);
        try (var ds = new com.zaxxer.hikari.HikariDataSource(config)) {
            down(ds);
        }
    }

    private void down(javax.sql.DataSource ds) {
        try (
             var server = new DashboardServer(new DashboardSettings("127.0.0.1", 0, null), ds, ApiServer.PRICES, null,
                     null, null, api.clock).start()) {
            ApiServer.Reply r = api.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + server.port() + "/api/v1/health")));
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.json().get("status").asText()).isEqualTo("down");
            assertThat(r.json().get("ledger").isNull()).isTrue(); // an API-only process has no writer
            ApiServer.Reply spend = api.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + server.port() + "/api/v1/spend")));
            assertThat(spend.status()).isEqualTo(503);
            assertThat(spend.json().get("error").get("code").asText()).isEqualTo("database_unavailable");
        }
    }

    @Test
    void pricingListsTheCatalogAndTheUnpricedModelsOfTheLedger() {
        JsonNode p = api.ok("/api/v1/pricing");
        JsonNode e = p.get("entries").get(0);
        assertThat(e.get("model").asText()).isEqualTo("gpt-4o");
        assertThat(e.get("effective_from").asText()).isEqualTo("2025-01-01");
        assertThat(e.get("rates").get("input_per_1m_tokens").decimalValue()).isEqualByComparingTo("2.50");
        JsonNode unpriced = p.get("unpriced_models");
        assertThat(unpriced).hasSize(1); // R6; R13 is pending, not unpriced
        assertThat(unpriced.get(0).get("model").asText()).isEqualTo("unknown-model");
        assertThat(unpriced.get(0).get("unpriced_generations").asLong()).isEqualTo(1);
        assertThat(unpriced.get(0).get("last_day").asText()).isEqualTo("2026-11-17");
        assertThat(p.get("unpriced_models_seen").get(0).asText()).isEqualTo("openai/unknown-model");
    }

    @Test
    void openApiDescribesEveryEndpoint() {
        JsonNode doc = api.ok("/api/v1/openapi.json");
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        List<String> paths = new ArrayList<>();
        doc.get("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).contains("/api/v1/spend", "/api/v1/performance", "/api/v1/content", "/api/v1/articles/{id}",
                "/api/v1/generations", "/api/v1/generations/{id}", "/api/v1/pricing", "/api/v1/health", "/metrics");
        // the keys of the contract are in the schemas
        JsonNode spend = doc.get("components").get("schemas").get("Spend").get("properties");
        assertThat(spend.has("cost_per_generation_usd")).isTrue();
        assertThat(spend.has("by_tag")).isTrue();
    }

    @Test
    void metricsServeTheScrapeText() {
        ApiServer.Reply m = api.get("/metrics");
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.header("Content-Type")).startsWith("text/plain; version=0.0.4");
        assertThat(m.body()).isEqualTo("# HELP genledger_up 1\ngenledger_up 1\n");
    }

    @Test
    void staticFilesAndEchartsAreServed() {
        ApiServer.Reply index = api.get("/");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.header("Content-Type")).startsWith("text/html");
        assertThat(index.body()).contains("<title>GenLedger</title>");
        ApiServer.Reply css = api.get("/assets/app.css");
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.header("Content-Type")).startsWith("text/css");
        // the page's modules: a browser runs a module only with a JavaScript media type
        ApiServer.Reply main = api.get("/assets/js/main.js");
        assertThat(main.status()).isEqualTo(200);
        assertThat(main.header("Content-Type")).matches("(text|application)/javascript.*");
        assertThat(api.get("/assets/js/tabs/content.js").status()).isEqualTo(200);
        ApiServer.Reply echarts = api.get("/vendor/echarts/echarts.min.js");
        assertThat(echarts.status()).isEqualTo(200);
        assertThat(echarts.header("Content-Type")).startsWith("text/javascript");
        assertThat(echarts.body().length()).isGreaterThan(500_000);
        assertThat(api.get("/vendor/echarts/..%2F..%2Fpublic%2Findex.html").status()).isIn(400, 404);
        assertThat(api.get("/vendor/echarts/echarts.esm.js").status()).isEqualTo(404);
    }

    @Test
    void unknownApiRoutesAnswer404Json() {
        ApiServer.Reply r = api.get("/api/v1/spending");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("not_found");
        assertThat(r.json().get("error").get("message").asText()).contains("/api/v1/spending");
        ApiServer.Reply post = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.url("/api/v1/spend")))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(post.status()).isIn(404, 405);
        assertThat(post.json().get("error")).isNotNull();
    }

    @Test
    void settingsRefuseNonsenseAndNeverPrintTheToken() {
        assertThatThrownBy(() -> new DashboardSettings("127.0.0.1", 70_000, null))
                .hasMessageContaining("GENLEDGER_API_PORT: 70000");
        assertThat(new DashboardSettings("127.0.0.1", 0, "hunter2").toString()).doesNotContain("hunter2");
    }
}
