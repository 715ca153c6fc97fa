package dev.genledger.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genledger.ledger.Generation;
import dev.genledger.pricing.Pricer;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every failure path answers the client sensibly and still writes its ledger row. */
class ProxyFailureTest {
    private static final Pricer NONE = Pricer.NONE;

    private static HttpRequest post(ProxyHarness h, String path, String body) {
        return HttpRequest.newBuilder(h.url(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static URI local(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Test
    void anUnreachableUpstreamGets502InTheProvidersErrorShapeAndARow() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (ProxyHarness h = new ProxyHarness(local(closedPort), s -> s, null, NONE)) {
            HttpResponse<String> r = h.client.send(post(h, "/openai/v1/chat/completions", "{}"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(r.body()).contains("\"code\":\"upstream_unreachable\"").contains("\"provider\":\"openai\"");
            Generation row = h.ledger.next();
            assertThat(row.status()).isEqualTo(502);
            assertThat(row.error()).startsWith("cannot reach openai at 127.0.0.1:" + closedPort);
            assertThat(row.ttfbMs()).isNull();
            assertThat(row.id().toString()).isEqualTo(r.headers().firstValue("x-generation-id").orElseThrow());
            assertThat(h.registry.get("genledger.proxy.upstream.errors").tag("kind", "connect").counter().count())
                    .isEqualTo(1);
        }
    }

    @Test
    void anUpstreamThatSaysNothingGets504AfterTheIdleTimeout() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (ScriptedUpstream up = new ScriptedUpstream((head, in, out, socket) -> never.await(10, TimeUnit.SECONDS));
             ProxyHarness h = new ProxyHarness(local(up.port()), s -> s.withIdleTimeoutMs(300), null, NONE)) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = h.client.send(post(h, "/gemini/v1beta/models/m:generateContent", "{}"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(300);
            assertThat(r.body()).contains("upstream_timeout");
            Generation row = h.ledger.next();
            assertThat(row.status()).isEqualTo(504);
            assertThat(row.error()).isEqualTo("gemini sent nothing for 300 ms (GENLEDGER_PROXY_IDLE_TIMEOUT_MS)");
            never.countDown();
        }
    }

    @Test
    void aStreamThatKeepsSendingIsNeverCutByTheIdleTimeout() throws Exception {
        try (ScriptedUpstream up = new ScriptedUpstream((head, in, out, socket) -> {
            ScriptedUpstream.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 8; i++) {
                Thread.sleep(100); // a slow stream: 800 ms in all, never 300 ms silent
                ScriptedUpstream.write(out, ScriptedUpstream.chunk("data: " + i + "\n\n"));
            }
            ScriptedUpstream.write(out, "0\r\n\r\n");
        }); ProxyHarness h = new ProxyHarness(local(up.port()), s -> s.withIdleTimeoutMs(300), null, NONE)) {
            HttpResponse<String> r = h.client.send(post(h, "/openai/v1/chat/completions", "{}"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("data: 7");
            Generation row = h.ledger.next();
            assertThat(row.error()).isNull();
            assertThat(row.latencyMs()).isGreaterThan(800);
        }
    }

    @Test
    void anUpstreamSilentMidStreamClosesTheClientConnectionAndRecordsWhy() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (ScriptedUpstream up = new ScriptedUpstream((head, in, out, socket) -> {
            ScriptedUpstream.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + ScriptedUpstream.chunk("data: partial\n\n"));
            never.await(10, TimeUnit.SECONDS);
        }); ProxyHarness h = new ProxyHarness(local(up.port()), s -> s.withIdleTimeoutMs(300), null, NONE)) {
            HttpResponse<InputStream> r = h.client.send(post(h, "/openai/v1/chat/completions", "{}"),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> r.body().readAllBytes()).isInstanceOf(IOException.class);
            Generation row = h.ledger.next();
            assertThat(row.status()).isEqualTo(200);
            assertThat(row.error()).isEqualTo("openai sent nothing for 300 ms (GENLEDGER_PROXY_IDLE_TIMEOUT_MS)");
            assertThat(row.incomplete()).isTrue();
            assertThat(row.usage().outputTokens()).isEqualTo("data: partial\n\n".length()); // what was seen
            never.countDown();
        }
    }

    @Test
    void anUpstreamResetMidStreamClosesTheClientConnectionAndRecordsTheError() throws Exception {
        CountDownLatch relayed = new CountDownLatch(1);
        try (ScriptedUpstream up = new ScriptedUpstream((head, in, out, socket) -> {
            ScriptedUpstream.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + ScriptedUpstream.chunk("data: one\n\n"));
            // a reset discards what the receiver has not read yet: reset once the client has the first event
            relayed.await(5, TimeUnit.SECONDS);
            socket.setSoLinger(true, 0); // close with a reset
            socket.close();
        }); ProxyHarness h = new ProxyHarness(local(up.port()), s -> s, null, NONE)) {
            HttpResponse<InputStream> r = h.client.send(post(h, "/openai/v1/chat/completions", "{}"),
                    HttpResponse.BodyHandlers.ofInputStream());
            InputStream body = r.body();
            assertThat(new String(body.readNBytes("data: one\n\n".length()), StandardCharsets.UTF_8))
                    .isEqualTo("data: one\n\n");
            relayed.countDown();
            assertThatThrownBy(body::readAllBytes).isInstanceOf(IOException.class);
            Generation row = h.ledger.next();
            assertThat(row.status()).isEqualTo(200);
            assertThat(row.error()).isEqualTo("upstream closed the connection mid-response");
            assertThat(row.incomplete()).isTrue();
            assertThat(row.usage().outputTokens()).isEqualTo("data: one\n\n".length());
        }
    }

    @Test
    void anUpstreamThatClosesBeforeRespondingGets502() throws Exception {
        try (ScriptedUpstream up = new ScriptedUpstream((head, in, out, socket) -> socket.close());
             ProxyHarness h = new ProxyHarness(local(up.port()), s -> s, null, NONE)) {
            HttpResponse<String> r = h.client.send(post(h, "/elevenlabs/v1/text-to-speech/v", "{}"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(h.ledger.next().error()).isEqualTo("elevenlabs closed the connection before responding");
        }
    }

    /**
     * An upstream whose first connection answers one request and then closes as the next one arrives
     * (the keep-alive race: it timed the connection out just then); later connections answer.
     */
    private static ScriptedUpstream closingAfterOneAnswer(AtomicInteger received)
            throws IOException {
        AtomicInteger connections = new AtomicInteger();
        return new ScriptedUpstream((head, in, out, socket) -> {
            received.incrementAndGet();
            String ok = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}";
            ScriptedUpstream.write(out, ok);
            if (connections.incrementAndGet() == 1) {
                if (!ScriptedUpstream.readHead(in).isEmpty()) {
                    received.incrementAndGet();
                }
                socket.close(); // without an answer
                return;
            }
            while (!ScriptedUpstream.readHead(in).isEmpty()) {
                received.incrementAndGet();
                ScriptedUpstream.write(out, ok);
            }
        });
    }

    /**
     * Requests one after the other on one client connection, as an SDK sends them, so that they are
     * served by one event loop and its upstream pool (HttpClient may open a second connection).
     * Returns each response's status line and body.
     */
    private static List<String> onOneConnection(ProxyHarness h, String... requests) throws IOException {
        List<String> out = new ArrayList<>();
        try (Socket s = new Socket("127.0.0.1", h.proxy.port())) {
            s.setSoTimeout(5_000);
            InputStream in = s.getInputStream();
            for (String req : requests) {
                s.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
                String head = ScriptedUpstream.readHead(in);
                Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
                byte[] body = m.find() ? in.readNBytes(Integer.parseInt(m.group(1))) : new byte[0];
                out.add(head.substring(0, head.indexOf("\r\n")) + " " + new String(body, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Test
    void aBodilessIdempotentRequestOnAPooledConnectionTheUpstreamClosedIsSentAgainOnANewOne() throws Exception {
        AtomicInteger received = new AtomicInteger();
        try (ScriptedUpstream up = closingAfterOneAnswer(received);
             ProxyHarness h = new ProxyHarness(local(up.port()), s -> s, null, NONE)) {
            String poll = "GET /replicate/v1/predictions/p1 HTTP/1.1\r\nHost: g\r\nAuthorization: Bearer r8_x\r\n\r\n";
            assertThat(onOneConnection(h, poll, poll)).containsExactly("HTTP/1.1 200 OK {\"ok\":true}",
                    "HTTP/1.1 200 OK {\"ok\":true}");
            for (int i = 0; i < 2; i++) {
                Generation row = h.ledger.next();
                assertThat(row.status()).isEqualTo(200);
                assertThat(row.error()).isNull();
            }
            assertThat(received.get()).as("requests the upstream read").isEqualTo(3);
            assertThat(h.registry.get("genledger.proxy.upstream.errors").tag("kind", "stale_connection").counter()
                    .count()).isEqualTo(1);
        }
    }

    @Test
    void aBodilessRequestWhoseNewConnectionClosesIsNotSentAgain() throws Exception {
        AtomicInteger received = new AtomicInteger();
        try (ScriptedUpstream up = new ScriptedUpstream((head, in, out, socket) -> {
            received.incrementAndGet();
            socket.close();
        }); ProxyHarness h = new ProxyHarness(local(up.port()), s -> s, null, NONE)) {
            // not the keep-alive race: an upstream that drops new connections drops the next one too
            assertThat(onOneConnection(h, "GET /replicate/v1/predictions/p1 HTTP/1.1\r\nHost: g\r\n\r\n").get(0))
                    .startsWith("HTTP/1.1 502 ");
            assertThat(h.ledger.next().status()).isEqualTo(502);
            assertThat(received.get()).isEqualTo(1);
        }
    }

    @Test
    void aRequestWithABodyIsNotSentTwiceWhenItsPooledConnectionCloses() throws Exception {
        AtomicInteger received = new AtomicInteger();
        try (ScriptedUpstream up = closingAfterOneAnswer(received);
             ProxyHarness h = new ProxyHarness(local(up.port()), s -> s, null, NONE)) {
            String create = "POST /replicate/v1/predictions HTTP/1.1\r\nHost: g\r\nContent-Length: 2\r\n\r\n{}";
            // a POST creates something upstream: whether the upstream ran it cannot be known, so it is not repeated
            List<String> replies = onOneConnection(h, create, create);
            assertThat(replies.get(0)).isEqualTo("HTTP/1.1 200 OK {\"ok\":true}");
            assertThat(replies.get(1)).startsWith("HTTP/1.1 502 ").contains("upstream_closed");
            h.ledger.next();
            assertThat(h.ledger.next().error()).isEqualTo("replicate closed the connection before responding");
            assertThat(received.get()).isEqualTo(2);
        }
    }

    @Test
    void aRequestThatFindsEveryUpstreamConnectionBusyGets503AfterTheConnectTimeout() throws Exception {
        int loops = Runtime.getRuntime().availableProcessors(); // the proxy's event loops, each with its own pool
        try (ScriptedUpstream up = new ScriptedUpstream((head, in, out, socket) -> {
            Thread.sleep(1500);
            ScriptedUpstream.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        }); ProxyHarness h = new ProxyHarness(local(up.port()),
                s -> s.withMaxConnectionsPerUpstream(1).withConnectTimeoutMs(200), null, NONE)) {
            // one client connection more than there are loops: two share a loop and its one upstream connection
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i <= loops; i++) {
                sent.add(h.client.sendAsync(post(h, "/openai/v1/embeddings", "{}"), HttpResponse.BodyHandlers.ofString()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (var f : sent) {
                HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
                statuses.add(r.statusCode());
                if (r.statusCode() == 503) {
                    assertThat(r.body()).contains("\"code\":\"gateway_busy\"")
                            .contains("GENLEDGER_PROXY_MAX_CONNECTIONS_PER_UPSTREAM=1").contains("within 200 ms");
                }
            }
            assertThat(statuses).contains(503).containsOnly(200, 503);
            assertThat(h.registry.get("genledger.proxy.upstream.errors").tag("kind", "pool_exhausted").counter()
                    .count()).isEqualTo(statuses.stream().filter(c -> c == 503).count());
            for (int i = 0; i < statuses.size(); i++) {
                assertThat(h.ledger.next().status()).isIn(200, 503);
            }
        }
    }

    @Test
    void anInterimResponseBeforeTheFinalOneIsNotTakenForTheResponse() throws Exception {
        try (ScriptedUpstream up = new ScriptedUpstream((head, in, out, socket) -> {
            ScriptedUpstream.write(out, "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n");
            Thread.sleep(50);
            ScriptedUpstream.write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
                    + "{\"ok\":true}");
            ScriptedUpstream.readHead(in);
        }); ProxyHarness h = new ProxyHarness(local(up.port()), s -> s, null, NONE)) {
            String poll = "GET /replicate/v1/predictions/p1 HTTP/1.1\r\nHost: g\r\n\r\n";
            assertThat(onOneConnection(h, poll)).containsExactly("HTTP/1.1 200 OK {\"ok\":true}");
            Generation row = h.ledger.next();
            assertThat(row.status()).isEqualTo(200);
            assertThat(row.responseBytes()).isEqualTo(11);
        }
    }

    @Test
    void connectionsTheUpstreamBrokeFreeTheirPlaceInTheBoundedPool() throws Exception {
        // one connection per event loop: a broken connection that kept its place would leave none
        try (ScriptedUpstream up = new ScriptedUpstream((head, in, out, socket) -> {
            if (head.contains("/fail")) {
                socket.close();
            } else {
                ScriptedUpstream.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
                ScriptedUpstream.readHead(in); // keep-alive: the connection goes back to the pool
            }
        }); ProxyHarness h = new ProxyHarness(local(up.port()), s -> s.withMaxConnectionsPerUpstream(1), null, NONE)) {
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> r = h.client.send(HttpRequest.newBuilder(h.url(i % 3 == 2
                                ? "/elevenlabs/v1/ok" : "/elevenlabs/v1/fail")).timeout(Duration.ofSeconds(5))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("request %d", i).isEqualTo(i % 3 == 2 ? 200 : 502);
                h.ledger.next();
            }
        }
    }

    @Test
    void aClientThatHangsUpMidStreamCancelsTheUpstreamRequestAndGets499WithWhatWasSeen() throws Exception {
        CountDownLatch upstreamSawCancel = new CountDownLatch(1);
        AtomicLong sent = new AtomicLong();
        try (ScriptedUpstream up = new ScriptedUpstream((head, in, out, socket) -> {
            ScriptedUpstream.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            try {
                for (int i = 0; i < 10_000; i++) {
                    ScriptedUpstream.write(out, ScriptedUpstream.chunk("data: token " + i + "\n\n"));
                    sent.incrementAndGet();
                    Thread.sleep(5); // a generation producing tokens
                }
            } catch (IOException e) {
                upstreamSawCancel.countDown(); // the proxy closed the upstream connection
            }
        }); ProxyHarness h = new ProxyHarness(local(up.port()), s -> s, null, NONE);
             Socket client = new Socket("127.0.0.1", h.proxy.port())) {
            client.getOutputStream().write(("POST /openai/v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();
            byte[] some = in.readNBytes(200);
            assertThat(new String(some, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200 OK");
            client.close();
            assertThat(upstreamSawCancel.await(10, TimeUnit.SECONDS)).as("upstream request cancelled").isTrue();
            Generation row = h.ledger.next();
            assertThat(row.status()).isEqualTo(499);
            assertThat(row.error()).isEqualTo("client closed the connection");
            assertThat(row.incomplete()).isTrue();
            assertThat(row.usage().outputTokens()).isPositive(); // the usage seen so far
            assertThat(sent.get()).isLessThan(10_000);
        }
    }

    /**
     * The Python SDKs stop reading a chat stream at {@code data: [DONE]} and close the connection
     * before the chunked body's last bytes. Nothing was cut short: the row is the upstream's 200,
     * complete, with its usage, and not a 499.
     */
    @ParameterizedTest
    @ValueSource(strings = {"chat", "responses"})
    void aClientThatHangsUpAfterTheStreamsLastEventGetsACompleteRow(String api) throws Exception {
        boolean chat = api.equals("chat");
        String stream = chat ? """
                data: {"id":"c1","model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hi"}}]}

                data: {"id":"c1","model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2}}

                data: [DONE]

                """ : """
                event: response.output_text.delta
                data: {"type":"response.output_text.delta","delta":"Hi"}

                event: response.completed
                data: {"type":"response.completed","response":{"id":"resp_1","model":"gpt-4o-mini","status":"completed",\
                "usage":{"input_tokens":9,"output_tokens":2}}}

                """;
        String last = chat ? "data: [DONE]" : "event: response.completed";
        CountDownLatch clientGone = new CountDownLatch(1);
        try (ScriptedUpstream up = new ScriptedUpstream((head, in, out, socket) -> {
            ScriptedUpstream.write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
            ScriptedUpstream.write(out, ScriptedUpstream.chunk(stream));
            clientGone.await(10, TimeUnit.SECONDS); // the body's end comes after the client has left
            try {
                ScriptedUpstream.write(out, "0\r\n\r\n");
            } catch (IOException e) {
                // the proxy has closed this connection
            }
        }); ProxyHarness h = ProxyHarness.withRealAdapters(local(up.port()));
             Socket client = new Socket("127.0.0.1", h.proxy.port())) {
            String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true}"
                    + (chat ? ",\"messages\":[]}" : ",\"input\":\"hi\"}");
            client.getOutputStream().write(("POST /openai/v1/" + (chat ? "chat/completions" : "responses")
                    + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();
            StringBuilder seen = new StringBuilder();
            byte[] buf = new byte[4096];
            while (!seen.toString().contains(last) || !seen.toString().endsWith("\n\n\r\n")) {
                int n = in.read(buf);
                assertThat(n).as("the stream's last event arrives").isPositive();
                seen.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
            client.close();
            clientGone.countDown();
            Generation row = h.ledger.next();
            assertThat(row.status()).isEqualTo(200);
            assertThat(row.error()).isNull();
            assertThat(row.incomplete()).isFalse();
            assertThat(row.usage().inputTokens()).isEqualTo(9);
            assertThat(row.usage().outputTokens()).isEqualTo(2);
            assertThat(row.usage().estimated()).isFalse();
        }
    }

    @Test
    void aBodyOverTheLimitGets413WhetherDeclaredOrChunked() throws Exception {
        try (ProxyHarness h = new ProxyHarness(s -> s.withMaxRequestBodyBytes(1024), null, NONE)) {
            HttpResponse<String> declared = h.client.send(post(h, "/openai/v1/embeddings", "x".repeat(2048)),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(declared.statusCode()).isEqualTo(413);
            assertThat(declared.body()).contains("request_too_large").contains("1024");
            assertThat(h.ledger.next().status()).isEqualTo(413);

            byte[] big = "y".repeat(4096).getBytes(StandardCharsets.US_ASCII);
            HttpResponse<String> chunked = h.client.send(HttpRequest.newBuilder(h.url("/openai/v1/embeddings"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(chunked.statusCode()).isEqualTo(413);
            Generation row = h.ledger.next();
            assertThat(row.status()).isEqualTo(413);
            assertThat(row.error()).contains("larger than 1024 bytes");
        }
    }

    @Test
    void theBudgetHardCapAnswers429BeforeForwardingButLetsPollsThrough() throws Exception {
        try (ProxyHarness h = new ProxyHarness(s -> s, () -> true, NONE)) {
            HttpResponse<String> r = h.client.send(post(h, "/replicate/v1/predictions", "{}"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.body()).contains("budget_exceeded").contains("\"provider\":\"replicate\"");
            assertThat(h.upstream.getRequestCount()).isZero();
            Generation row = h.ledger.next();
            assertThat(row.status()).isEqualTo(429);
            assertThat(row.error()).contains("GENLEDGER_BUDGET_HARD_CAP");

            h.upstream.enqueue(new MockResponse.Builder().body("{\"status\":\"succeeded\"}").build());
            HttpResponse<String> poll = h.client.send(HttpRequest.newBuilder(h.url("/replicate/v1/predictions/abc"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(poll.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void requestsAreCountedByProviderOperationAndStatus() throws Exception {
        try (ProxyHarness h = new ProxyHarness()) {
            h.upstream.enqueue(new MockResponse.Builder().body("{}").build());
            h.upstream.enqueue(new MockResponse.Builder().code(429).body("{}").build());
            h.client.send(post(h, "/openai/v1/chat/completions", "{}"), HttpResponse.BodyHandlers.ofString());
            h.client.send(post(h, "/openai/v1/chat/completions", "{}"), HttpResponse.BodyHandlers.ofString());
            h.ledger.next();
            h.ledger.next();
            // the event loop counts a request just after it hands on its row
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (h.registry.get("genledger.proxy.latency").tags("provider", "openai").timer().count() < 2
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(h.registry.get("genledger.proxy.requests").tags("provider", "openai", "status", "200")
                    .counter().count()).isEqualTo(1);
            assertThat(h.registry.get("genledger.proxy.requests").tags("provider", "openai", "status", "429")
                    .counter().count()).isEqualTo(1);
            assertThat(h.registry.get("genledger.proxy.latency").tags("provider", "openai").timer().count())
                    .isEqualTo(2);
        }
    }
}
