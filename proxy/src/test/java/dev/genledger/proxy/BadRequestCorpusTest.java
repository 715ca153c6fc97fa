package dev.genledger.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.pricing.Pricer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input of every kind is answered with a clear 4xx (or the connection is closed), and the
 * gateway still serves the next good request. Raw bytes over a socket, as a broken or hostile
 * client would send them.
 */
class BadRequestCorpusTest {
    private static ProxyHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = new ProxyHarness(s -> s.withClientTimeoutMs(1000).withMaxRequestBodyBytes(4096), null, Pricer.NONE);
        // whatever reaches the upstream gets an answer: no queue that a stray request could shift
        h.upstream.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
                return new MockResponse.Builder().body("{\"ok\":true}").build();
            }
        });
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    /** A case: the bytes to send (a supplier of parts, sent with pauses when more than one), what must come back. */
    record Case(String name, List<byte[]> parts, long pauseMs, Expect expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The answer expected: a status (0: only that the connection is closed), and text the body must contain. */
    record Expect(int status, String contains) {}

    private static final String GOOD_HEAD = "POST /openai/v1/chat/completions HTTP/1.1\r\nHost: g\r\n";

    private static Case c(String name, String raw, int status, String contains) {
        return new Case(name, List.of(raw.getBytes(StandardCharsets.ISO_8859_1)), 0, new Expect(status, contains));
    }

    private static Case bytes(String name, byte[] raw, int status, String contains) {
        return new Case(name, List.of(raw), 0, new Expect(status, contains));
    }

    static Stream<Case> corpus() {
        String hugeHeader = "X-Filler: " + "a".repeat(70_000) + "\r\n";
        StringBuilder manyHeaders = new StringBuilder();
        for (int i = 0; i < 5_000; i++) { // about 125 KB: over the 64 KiB head limit
            manyHeaders.append("X-H").append(i).append(": value-").append(i).append("\r\n");
        }
        StringBuilder tags = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            tags.append(i == 0 ? "" : ",").append("k").append(i).append("=v");
        }
        return Stream.of(
                bytes("binary garbage", new byte[] {0, 1, 2, 3, (byte) 0xff, '\r', '\n', '\r', '\n'}, 400, null),
                c("a request line without target or version", "GET\r\n\r\n", 400, null),
                c("an unknown protocol", "GET /openai/v1/models FOO/1.1\r\nHost: g\r\n\r\n", 400, null),
                c("HTTP/0.9 style request", "GET /openai/v1/models\r\n\r\n", 400, null),
                c("an invalid method token", "G@T /openai/v1/models HTTP/1.1\r\nHost: g\r\n\r\n", 400, null),
                c("the root path", "GET / HTTP/1.1\r\nHost: g\r\n\r\n", 404, "/openai/"),
                c("an unknown provider", "POST /anthropic/v1/messages HTTP/1.1\r\nHost: g\r\nContent-Length: 2\r\n\r\n{}",
                        404, "unknown_route"),
                c("an absolute-form target (open proxy attempt)",
                        "GET http://evil.example/openai/v1/models HTTP/1.1\r\nHost: evil.example\r\n\r\n", 404, null),
                c("a CONNECT tunnel attempt", "CONNECT api.openai.com:443 HTTP/1.1\r\nHost: api.openai.com\r\n\r\n",
                        404, null),
                c("a dot-dot path", "GET /openai/../admin HTTP/1.1\r\nHost: g\r\n\r\n", 400, "invalid_path"),
                c("an encoded dot-dot path", "GET /openai/v1/%2e%2e/secret HTTP/1.1\r\nHost: g\r\n\r\n", 400,
                        "invalid_path"),
                c("a request line over 16 KiB", "GET /openai/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: g\r\n\r\n",
                        414, null),
                c("a header over the head limit", "GET /openai/v1/models HTTP/1.1\r\nHost: g\r\n" + hugeHeader + "\r\n",
                        431, null),
                c("thousands of headers", "GET /openai/v1/models HTTP/1.1\r\nHost: g\r\n" + manyHeaders + "\r\n", 431,
                        null),
                c("a header without a colon", "GET /openai/v1/models HTTP/1.1\r\nHost: g\r\nNoColonHere\r\n\r\n", 400,
                        null),
                c("a header name with a space", "GET /openai/v1/models HTTP/1.1\r\nHost: g\r\nBad Name: x\r\n\r\n", 400,
                        null),
                c("a non-numeric Content-Length", GOOD_HEAD + "Content-Length: ten\r\n\r\n", 400, null),
                c("a negative Content-Length", GOOD_HEAD + "Content-Length: -5\r\n\r\n", 400, null),
                c("two different Content-Lengths", GOOD_HEAD + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}x",
                        400, null),
                c("an invalid chunk size", GOOD_HEAD + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400,
                        null),
                c("a declared body over the limit", GOOD_HEAD + "Content-Length: 1000000000\r\n\r\n", 413,
                        "request_too_large"),
                c("a chunked body over the limit", GOOD_HEAD + "Transfer-Encoding: chunked\r\n\r\n"
                        + "2000\r\n" + "x".repeat(0x2000) + "\r\n0\r\n\r\n", 413, "request_too_large"),
                c("an X-Article-Id over 256 characters", GOOD_HEAD + "X-Article-Id: " + "a".repeat(300)
                        + "\r\nContent-Length: 2\r\n\r\n{}", 400, "X-Article-Id"),
                c("a control character in X-Task", GOOD_HEAD + "X-Task: rewrite\u0001now\r\nContent-Length: 2\r\n\r\n{}",
                        400, null),
                c("X-Tags that are not pairs", GOOD_HEAD + "X-Tags: team,growth\r\nContent-Length: 2\r\n\r\n{}", 400,
                        "X-Tags"),
                c("X-Tags with more than 20 pairs", GOOD_HEAD + "X-Tags: " + tags + "\r\nContent-Length: 2\r\n\r\n{}",
                        400, "at most 20"),
                c("X-Tags naming a key twice", GOOD_HEAD + "X-Tags: team=a,team=b\r\nContent-Length: 2\r\n\r\n{}", 400,
                        "twice"),
                c("X-Parent-Generation-Id that is not an id", GOOD_HEAD
                        + "X-Parent-Generation-Id: gen-123\r\nContent-Length: 2\r\n\r\n{}", 400, "X-Parent-Generation-Id"),
                c("X-Task sent twice", GOOD_HEAD + "X-Task: a\r\nX-Task: b\r\nContent-Length: 2\r\n\r\n{}", 400,
                        "X-Task"),
                c("a body shorter than its Content-Length, then silence", GOOD_HEAD + "Content-Length: 100\r\n\r\n{\"a\"",
                        408, "request_timeout"),
                c("a truncated chunked body, then silence", GOOD_HEAD + "Transfer-Encoding: chunked\r\n\r\n5\r\nab",
                        408, "request_timeout"),
                new Case("a slow-loris head, a byte at a time slower than the timeout",
                        List.of("GET /openai/v1/models HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII),
                                "X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII)), 1500, new Expect(0, null)),
                c("a head that never ends", "GET /openai/v1/models HTTP/1.1\r\nHost: g\r\n", 0, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void badInputIsRefusedAndTheGatewayServesTheNextRequest(Case bad) throws Exception {
        try (Socket s = new Socket("127.0.0.1", h.proxy.port())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            try {
                for (int i = 0; i < bad.parts().size(); i++) {
                    if (i > 0) {
                        Thread.sleep(bad.pauseMs());
                    }
                    out.write(bad.parts().get(i));
                    out.flush();
                }
            } catch (IOException e) {
                // the gateway may close early on what it already refused
            }
            String answer = ProxyHarness.readUntilClosed(s.getInputStream());
            if (bad.expect().status() == 0) {
                assertThat(answer).as("closed, or a 4xx").satisfiesAnyOf(
                        a -> assertThat(a).isEmpty(), a -> assertThat(a).matches("(?s)HTTP/1\\.1 4\\d\\d .*"));
            } else {
                assertThat(answer).startsWith("HTTP/1.1 " + bad.expect().status() + " ");
                assertThat(answer).containsIgnoringCase("content-type: application/json");
                if (bad.expect().contains() != null) {
                    assertThat(answer).contains(bad.expect().contains());
                }
            }
        }
        // and the gateway is still there for a good request
        String good = h.raw("POST /openai/v1/chat/completions HTTP/1.1\r\nHost: g\r\nConnection: close\r\n"
                + "Content-Length: 2\r\n\r\n{}");
        assertThat(good).startsWith("HTTP/1.1 200 OK").endsWith("{\"ok\":true}");
        h.ledger.records.clear();
    }
}
