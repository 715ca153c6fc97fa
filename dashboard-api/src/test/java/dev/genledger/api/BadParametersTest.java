package dev.genledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every bad parameter is a 400 JSON error that names it and says what is allowed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadParametersTest {
    private ApiServer api;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        api = new ApiServer(dataDir, HandLedger.NOW);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    private JsonNode rejected(String pathAndQuery, String parameter) {
        ApiServer.Reply r = api.get(pathAndQuery);
        assertThat(r.status()).as("%s: %s", pathAndQuery, r.body()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode e = r.json().get("error");
        assertThat(e.get("code").asText()).isEqualTo("invalid_parameter");
        assertThat(e.get("parameter").asText()).isEqualTo(parameter);
        assertThat(e.get("message").asText()).contains(parameter);
        return e;
    }

    @Test
    void badWindow() {
        assertThat(rejected("/api/v1/spend?window=8d", "window").get("message").asText())
                .isEqualTo("window: '8d' (expected: 7d, 30d, 90d, all or mtd; or from/to)");
        rejected("/api/v1/performance?window=7d&from=2026-11-01", "window");
        rejected("/api/v1/content?window=7d&window=30d", "window");
    }

    @Test
    void badFromAndTo() {
        assertThat(rejected("/api/v1/spend?from=yesterday", "from").get("message").asText())
                .contains("an ISO date such as 2026-11-01");
        rejected("/api/v1/spend?from=2026-11-01&to=2026-13-01", "to");
        rejected("/api/v1/spend?to=2026-11-01", "from");
        rejected("/api/v1/spend?from=2026-11-10&to=2026-11-01", "from");
        rejected("/api/v1/spend?from=1900-01-01", "from");
    }

    @Test
    void badTimeZone() {
        assertThat(rejected("/api/v1/spend?tz=Mars/Olympus", "tz").get("message").asText())
                .contains("IANA time zone such as Europe/Berlin");
        rejected("/api/v1/spend?tz=%2B02:00", "tz");
    }

    @Test
    void badLimitAndCursor() {
        assertThat(rejected("/api/v1/content?limit=0", "limit").get("message").asText())
                .isEqualTo("limit: '0' (expected: an integer from 1 to 1000)");
        rejected("/api/v1/generations?limit=abc", "limit");
        rejected("/api/v1/generations?limit=1001", "limit");
        rejected("/api/v1/generations?cursor=bm9wZQ", "cursor");
        rejected("/api/v1/generations?cursor=!!!", "cursor");
        rejected("/api/v1/generations?format=xml", "format");
    }

    @Test
    void badTag() {
        assertThat(rejected("/api/v1/spend?tag=team", "tag").get("message").asText()).contains("key:value");
        rejected("/api/v1/spend?tag=:growth", "tag");
        rejected("/api/v1/spend?tag=team:", "tag");
    }

    @Test
    void unknownParametersAreNamed() {
        JsonNode e = rejected("/api/v1/spend?windw=7d", "windw");
        assertThat(e.get("message").asText()).contains("window").contains("tag_key");
        rejected("/api/v1/performance?tag_key=team", "tag_key"); // only /spend breaks down by tag
        rejected("/api/v1/health?verbose=1", "verbose");
    }

    @Test
    void goodParametersPass() {
        assertThat(api.get("/api/v1/spend?window=90d&tz=America/New_York&provider=&tag=team:a:b").status()).isEqualTo(200);
        assertThat(api.get("/api/v1/spend?from=2026-11-01T08:00:00%2B01:00&to=2026-11-02T10:00").status()).isEqualTo(200);
    }
}
