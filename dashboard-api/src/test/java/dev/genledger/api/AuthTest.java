package dev.genledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthTest {
    private static final String TOKEN = "s3cret-token";
    private ApiServer api;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        api = new ApiServer(dataDir, HandLedger.NOW, ApiServer.Options.defaults().token(TOKEN), null);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void apiAndMetricsAnswer401WithoutTheToken() {
        for (String path : new String[] {"/api/v1/spend", "/api/v1/health", "/api/v1/generations/x", "/api/v1/nope",
                "/metrics"}) {
            ApiServer.Reply r = api.get(path);
            assertThat(r.status()).as(path).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(r.json().get("error").get("code").asText()).isEqualTo("unauthorized");
            assertThat(r.body()).doesNotContain(TOKEN);
        }
    }

    @Test
    void aWrongTokenOrSchemeIs401() {
        assertThat(api.get("/api/v1/spend", "Authorization", "Bearer s3cret-tokeN").status()).isEqualTo(401);
        assertThat(api.get("/api/v1/spend", "Authorization", "Bearer s3cret-token-and-more").status()).isEqualTo(401);
        assertThat(api.get("/api/v1/spend", "Authorization", "Basic " + TOKEN).status()).isEqualTo(401);
        assertThat(api.get("/metrics", "Authorization", "Bearer wrong").status()).isEqualTo(401);
    }

    @Test
    void theTokenIsCaseSensitiveEvenOnAKeptAliveConnection() {
        // one client, one connection: Jetty's header cache must not hand back the earlier, right-cased value
        assertThat(api.get("/api/v1/health", "Authorization", "Bearer " + TOKEN).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/health", "Authorization", "Bearer " + TOKEN.toUpperCase()).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/health", "Authorization", "BEARER " + TOKEN).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/health", "Authorization", "Bearer S3cret-token").status()).isEqualTo(401);
    }

    @Test
    void theTokenOpensApiAndMetrics() {
        ApiServer.Reply spend = api.get("/api/v1/spend", "Authorization", "Bearer " + TOKEN);
        assertThat(spend.status()).isEqualTo(200);
        assertThat(api.get("/api/v1/spend", "Authorization", "bearer " + TOKEN).status()).isEqualTo(200);
        ApiServer.Reply metrics = api.get("/metrics", "Authorization", "Bearer " + TOKEN);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain");
        assertThat(metrics.body()).contains("genledger_up 1");
    }

    @Test
    void staticPagesStayOpen() {
        assertThat(api.get("/").status()).isEqualTo(200);
        assertThat(api.get("/assets/app.css").status()).isEqualTo(200);
        assertThat(api.get("/vendor/echarts/echarts.min.js").status()).isEqualTo(200);
    }
}
