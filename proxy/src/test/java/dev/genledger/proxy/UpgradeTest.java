package dev.genledger.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.ledger.Generation;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** Protocol upgrades: a WebSocket handshake is refused clearly; any other upgrade offer is declined by forwarding over HTTP/1.1. */
class UpgradeTest {
    @Test
    void aWebSocketHandshakeGets501InTheProvidersErrorShapeAndARowAndNothingIsForwarded() throws Exception {
        try (ProxyHarness h = new ProxyHarness()) {
            String reply = h.raw("GET /openai/v1/realtime?model=gpt-realtime HTTP/1.1\r\nHost: g\r\n"
                    + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer sk-test\r\n"
                    + "X-Task: voice_agent\r\n\r\n");
            assertThat(reply).startsWith("HTTP/1.1 501 ");
            assertThat(reply).contains("\"code\":\"websocket_not_supported\"").contains("\"provider\":\"openai\"")
                    .contains("connect to openai directly");
            assertThat(h.upstream.getRequestCount()).isZero();
            Generation row = h.ledger.next();
            assertThat(row.status()).isEqualTo(501);
            assertThat(row.task()).isEqualTo("voice_agent");
            assertThat(row.error()).contains("not WebSocket");
            assertThat(h.registry.get("genledger.proxy.rejected").tag("reason", "websocket").counter().count())
                    .isEqualTo(1);
        }
    }

    @Test
    void aWebSocketUpgradeAmongOtherOffersIsRecognisedWhateverItsCase() throws Exception {
        try (ProxyHarness h = new ProxyHarness()) {
            String reply = h.raw("GET /gemini/ws/google.ai.generativelanguage.v1beta.GenerativeService."
                    + "BidiGenerateContent HTTP/1.1\r\nHost: g\r\nConnection: upgrade\r\nUpgrade: foo/2, WebSocket\r\n\r\n");
            assertThat(reply).startsWith("HTTP/1.1 501 ").contains("websocket_not_supported");
            assertThat(h.upstream.getRequestCount()).isZero();
        }
    }

    @Test
    void anH2cUpgradeOfferIsDeclinedByForwardingTheRequestOverHttp11() throws Exception {
        try (ProxyHarness h = new ProxyHarness()) {
            h.upstream.enqueue(new MockResponse.Builder().body("{\"ok\":true}").build());
            // what curl --http2 sends to an http:// URL
            String reply = h.raw("POST /openai/v1/embeddings HTTP/1.1\r\nHost: g\r\n"
                    + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n"
                    + "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
            assertThat(reply).startsWith("HTTP/1.1 200 ").endsWith("{\"ok\":true}");
            RecordedRequest forwarded = h.upstream.takeRequest();
            assertThat(forwarded.getHeaders().get("upgrade")).isNull();
            assertThat(forwarded.getHeaders().get("http2-settings")).isNull();
            assertThat(h.ledger.next().status()).isEqualTo(200);
        }
    }
}
