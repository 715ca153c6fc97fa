package dev.genledger.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpRulesTest {
    @ParameterizedTest
    @ValueSource(strings = {"/.", "/..", "/v1/../admin", "/v1/./models", "/%2e%2E/x", "/v1/.%2e", "/a/%2E", "/a/b/.."})
    void dotSegmentsAreFoundPercentEncodedOrNot(String path) {
        assertThat(HttpRules.hasDotSegment(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "", "/v1/chat/completions", "/v1/.well-known", "/...", "/a..b/c", "/a/%2e%2e%2e",
            "/models/gemini-2.5-flash:generateContent", "/a//b", "/a/.b", "/%2ex"})
    void otherPathsPass(String path) {
        assertThat(HttpRules.hasDotSegment(path)).isFalse();
    }

    @Test
    void onlyEndToEndHeadersAreKeptInPlace() {
        HttpHeaders h = new DefaultHttpHeaders()
                .add("Content-Type", "application/json")
                .add("Connection", "keep-alive, X-Secret-Hop")
                .add("x-secret-hop", "1")
                .add("Keep-Alive", "timeout=5")
                .add("Transfer-Encoding", "chunked")
                .add("TE", "trailers")
                .add("Upgrade", "h2c")
                .add("Proxy-Authorization", "Basic abc")
                .add("X-Task", "rewrite")
                .add("Authorization", "Bearer sk-test")
                .add("X-Request-Id", "req_1");
        HttpRules.keepEndToEnd(h, List.of(AsciiString.cached("x-task")));
        assertThat(h.names()).containsExactlyInAnyOrder("Content-Type", "Authorization", "X-Request-Id");
        assertThat(h.get("authorization")).isEqualTo("Bearer sk-test");
    }
}
