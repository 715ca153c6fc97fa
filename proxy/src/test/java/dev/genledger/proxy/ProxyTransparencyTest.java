package dev.genledger.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.ledger.Generation;
import dev.genledger.ledger.Uuid7;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client gets the provider's bytes, status and headers as sent, streamed as they arrive. */
class ProxyTransparencyTest {
    private ProxyHarness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new ProxyHarness();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1024, 10 * 1024 * 1024})
    void requestAndResponseBodiesPassByteForByte(int size) throws Exception {
        byte[] requestBody = random(size, 1);
        byte[] responseBody = random(size, 2);
        h.upstream.enqueue(new MockResponse.Builder().code(201).body(new Buffer().write(responseBody))
                .addHeader("Content-Type", "application/octet-stream").build());

        HttpResponse<byte[]> r = h.client.send(HttpRequest.newBuilder(h.url("/openai/v1/files"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody)).build(), HttpResponse.BodyHandlers.ofByteArray());

        RecordedRequest up = h.upstream.takeRequest();
        assertThat(TestAdapter.sha256(up.getBody().toByteArray())).isEqualTo(TestAdapter.sha256(requestBody));
        assertThat(up.getTarget()).isEqualTo("/v1/files");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(TestAdapter.sha256(r.body())).isEqualTo(TestAdapter.sha256(responseBody));
        Generation row = h.ledger.next();
        assertThat(row.requestBytes()).isEqualTo(size);
        assertThat(row.responseBytes()).isEqualTo(size);
        assertThat(row.upstreamRequestId()).isEqualTo(TestAdapter.sha256(responseBody)); // the adapter saw every byte
        assertThat(row.status()).isEqualTo(201);
    }

    @Test
    void aChunkedRequestAndAChunkedResponseAreRelayedIntact() throws Exception {
        byte[] requestBody = random(300_000, 3);
        String responseBody = "chunk-".repeat(50_000);
        h.upstream.enqueue(new MockResponse.Builder().chunkedBody(responseBody, 1000).build());

        HttpResponse<byte[]> r = h.client.send(HttpRequest.newBuilder(h.url("/openai/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(requestBody)))
                .build(), HttpResponse.BodyHandlers.ofByteArray());

        RecordedRequest up = h.upstream.takeRequest();
        assertThat(up.getHeaders().get("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(up.getBody().toByteArray()).isEqualTo(requestBody);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(responseBody);
        assertThat(r.headers().firstValue("transfer-encoding")).hasValue("chunked");
    }

    @Test
    void anSseStreamIsRelayedIntact() throws Exception {
        String sse = "data: {\"a\":1}\n\n: keep-alive\n\nevent: x\ndata: {\"b\":2}\r\n\r\ndata: [DONE]\n\n";
        h.upstream.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
                .chunkedBody(sse, 7).build());
        HttpResponse<String> r = h.client.send(HttpRequest.newBuilder(h.url("/openai/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo(sse);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
    }

    @Test
    void theFirstEventReachesTheClientBeforeTheUpstreamSendsTheNext() throws Exception {
        CountDownLatch clientHasFirst = new CountDownLatch(1);
        CountDownLatch upstreamSentRest = new CountDownLatch(1);
        try (ScriptedUpstream up = new ScriptedUpstream((head, in, out, socket) -> {
            ScriptedUpstream.write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + ScriptedUpstream.chunk("data: first\n\n"));
            // the rest is sent only once the client has the first event: a buffering proxy would
            // hold the first event back and this would wait out its 5 seconds, failing the test
            clientHasFirst.await(5, TimeUnit.SECONDS);
            ScriptedUpstream.write(out, ScriptedUpstream.chunk("data: second\n\n") + "0\r\n\r\n");
            upstreamSentRest.countDown();
        }); ProxyHarness p = new ProxyHarness(java.net.URI.create("http://127.0.0.1:" + up.port()), s -> s, null,
                dev.genledger.pricing.Pricer.NONE)) {
            HttpResponse<InputStream> r = p.client.send(HttpRequest.newBuilder(p.url("/openai/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofInputStream());
            InputStream in = r.body();
            byte[] first = in.readNBytes("data: first\n\n".length());
            assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("data: first\n\n");
            assertThat(upstreamSentRest.getCount()).as("the second event was not sent yet").isEqualTo(1);
            clientHasFirst.countDown();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("data: second\n\n");
            assertThat(upstreamSentRest.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(p.ledger.next().streamed()).isFalse(); // the test adapter never claims a stream
        }
    }

    @Test
    void gzipPassesThroughCompressedWhileTheAdapterSeesItDecoded() throws Exception {
        String json = "{\"usage\":{\"prompt_tokens\":7}}".repeat(1000);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        h.upstream.enqueue(new MockResponse.Builder().addHeader("Content-Encoding", "gzip")
                .addHeader("Content-Type", "application/json").chunkedBody(new Buffer().write(gz.toByteArray()), 333)
                .build());
        HttpResponse<byte[]> r = h.client.send(HttpRequest.newBuilder(h.url("/openai/v1/chat/completions"))
                .header("Accept-Encoding", "gzip, zstd").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.body()).isEqualTo(gz.toByteArray());
        assertThat(r.headers().firstValue("content-encoding")).hasValue("gzip");
        // the upstream was asked only for codings the gateway can read back
        assertThat(h.upstream.takeRequest().getHeaders().get("Accept-Encoding")).isEqualTo("gzip");
        Generation row = h.ledger.next();
        assertThat(row.upstreamRequestId()).isEqualTo(TestAdapter.sha256(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(row.responseBytes()).isEqualTo(gz.size());
    }

    @Test
    void attributionHeadersAreStrippedEndToEndHeadersKeptAndTheRowIdReturned() throws Exception {
        h.upstream.enqueue(new MockResponse.Builder().addHeader("x-request-id", "req_abc")
                .addHeader("openai-processing-ms", "12").addHeader("Keep-Alive", "timeout=5").body("{}").build());
        HttpResponse<String> r = h.client.send(HttpRequest.newBuilder(h.url("/openai/v1/chat/completions"))
                .header("Authorization", "Bearer sk-test-123")
                .header("OpenAI-Beta", "assistants=v2")
                .header("X-Article-Id", "article-42")
                .header("X-Task", "article_rewrite")
                .header("X-Category", "politics")
                .header("X-Content-Product", "newsletter")
                .header("X-Pipeline-Step", "rewrite")
                .header("X-Parent-Generation-Id", "0192f5e4-7c1a-7b3e-9d2f-3a4b5c6d7e8f")
                .header("X-Tags", "team=growth, feature=chatbot")
                .header("Upgrade-Insecure-Requests", "1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        RecordedRequest up = h.upstream.takeRequest();
        assertThat(up.getHeaders().get("Authorization")).isEqualTo("Bearer sk-test-123");
        assertThat(up.getHeaders().get("OpenAI-Beta")).isEqualTo("assistants=v2");
        assertThat(up.getHeaders().get("Upgrade-Insecure-Requests")).isEqualTo("1");
        assertThat(up.getHeaders().get("Host")).isEqualTo("127.0.0.1:" + h.upstream.getPort());
        assertThat(up.getHeaders().names()).noneMatch(n -> n.toLowerCase().startsWith("x-"));
        assertThat(r.headers().firstValue("x-request-id")).hasValue("req_abc");
        assertThat(r.headers().firstValue("openai-processing-ms")).hasValue("12");
        assertThat(r.headers().firstValue("keep-alive")).isEmpty();

        Generation row = h.ledger.next();
        UUID id = UUID.fromString(r.headers().firstValue("x-generation-id").orElseThrow());
        assertThat(id.version()).isEqualTo(7);
        assertThat(row.id()).isEqualTo(id);
        assertThat(Uuid7.millis(id)).isEqualTo(row.startedAt().toEpochMilli());
        assertThat(row.articleId()).isEqualTo("article-42");
        assertThat(row.task()).isEqualTo("article_rewrite");
        assertThat(row.category()).isEqualTo("politics");
        assertThat(row.contentProduct()).isEqualTo("newsletter");
        assertThat(row.pipelineStep()).isEqualTo("rewrite");
        assertThat(row.parentId()).isEqualTo(UUID.fromString("0192f5e4-7c1a-7b3e-9d2f-3a4b5c6d7e8f"));
        assertThat(row.tags()).containsEntry("team", "growth").containsEntry("feature", "chatbot");
        assertThat(row.keyId()).hasSize(16).matches("[0-9a-f]{16}")
                .isEqualTo(new KeyIds(ProxyHarness.SECRET).fingerprint("sk-test-123"));
        assertThat(row.provider()).isEqualTo("openai");
        assertThat(row.endpoint()).isEqualTo("POST /v1/chat/completions");
        assertThat(row.ttfbMs()).isNotNull().isPositive().isLessThanOrEqualTo(row.latencyMs());
        assertThat(row.toString()).doesNotContain("sk-test-123");
    }

    @Test
    void theQueryIsForwardedAsSentWhileAnApiKeyInItIsNeverRecorded() throws Exception {
        h.upstream.enqueue(new MockResponse.Builder().body("{}").build());
        h.client.send(HttpRequest.newBuilder(h.url(
                        "/gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=AIzaSecret%2Fx"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(h.upstream.takeRequest().getTarget())
                .isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=AIzaSecret%2Fx");
        Generation row = h.ledger.next();
        assertThat(row.endpoint()).isEqualTo("POST /v1beta/models/gemini-2.5-flash:streamGenerateContent");
        assertThat(row.keyId()).isEqualTo(new KeyIds(ProxyHarness.SECRET).fingerprint("AIzaSecret/x"));
        assertThat(h.adapters.get("gemini").requests.get(0).query()).containsOnlyKeys("alt");
        assertThat(row.toString()).doesNotContain("AIzaSecret");
    }

    @Test
    void keepAliveConnectionsServeManyRequestsAndReuseTheUpstreamConnection() throws Exception {
        for (int i = 0; i < 20; i++) {
            h.upstream.enqueue(new MockResponse.Builder().body("{\"n\":" + i + "}").build());
        }
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = h.client.send(HttpRequest.newBuilder(h.url("/openai/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).isEqualTo("{\"n\":" + i + "}");
        }
        int firstConnection = h.upstream.takeRequest().getConnectionIndex();
        for (int i = 1; i < 20; i++) {
            assertThat(h.upstream.takeRequest().getConnectionIndex()).isEqualTo(firstConnection);
        }
    }

    @Test
    void headRequestsAndNoContentResponsesCarryNoBody() throws Exception {
        h.upstream.enqueue(new MockResponse.Builder().code(204).build());
        HttpResponse<String> r = h.client.send(HttpRequest.newBuilder(h.url("/replicate/v1/predictions/x"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        h.upstream.enqueue(new MockResponse.Builder().code(200).body("").build());
        HttpResponse<String> head = h.client.send(HttpRequest.newBuilder(h.url("/openai/v1/models"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
    }
}
