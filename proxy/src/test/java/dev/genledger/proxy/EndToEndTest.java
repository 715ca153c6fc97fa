package dev.genledger.proxy;

import static dev.genledger.proxy.provider.ExchangeHarness.resource;
import static dev.genledger.proxy.provider.ExchangeHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.zaxxer.hikari.HikariDataSource;
import dev.genledger.ledger.Generation;
import dev.genledger.ledger.LedgerRows;
import dev.genledger.ledger.LedgerSettings;
import dev.genledger.ledger.LedgerWriter;
import dev.genledger.ledger.Modality;
import dev.genledger.ledger.testing.TestDatabases;
import dev.genledger.pricing.PriceCatalog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path, as a user meets it: an official SDK (or a plain HTTP client) pointed at the
 * gateway by base URL, a fake provider serving the provider's real wire format, the real adapter
 * and price catalog, and the ledger writer on real PostgreSQL — then the row, with its cost.
 */
class EndToEndTest {
    @TempDir
    Path dataDir;

    private HikariDataSource ds;
    private LedgerWriter writer;
    private MockWebServer upstream;
    private ProxyServer proxy;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws Exception {
        ds = TestDatabases.fresh();
        PriceCatalog catalog = PriceCatalog.bundled();
        writer = LedgerWriter.start(ds, catalog, LedgerSettings.defaults(dataDir).withLingerMs(5));
        upstream = new MockWebServer();
        upstream.start();
        Map<String, URI> urls = new LinkedHashMap<>();
        for (String p : new String[] {"openai", "gemini", "elevenlabs", "replicate"}) {
            urls.put(p, URI.create("http://127.0.0.1:" + upstream.getPort()));
        }
        proxy = ProxyServer.start(ProxySettings.defaults(urls, ProxyHarness.SECRET), Providers.all(true), catalog,
                writer::offer, new SimpleMeterRegistry(), null);
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        writer.close();
        upstream.close();
        ds.close();
    }

    private String gateway(String prefix) {
        return "http://127.0.0.1:" + proxy.port() + prefix;
    }

    /**
     * The row with this id. The client may have its last byte a moment before the gateway records
     * the row (the row is offered when the write to the client completes), so look until it is there.
     */
    private Generation row(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            assertThat(writer.drain(Duration.ofSeconds(30))).isTrue();
            try (Connection c = ds.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT * FROM generation WHERE id = ?::uuid")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return LedgerRows.read(rs);
                    }
                }
            }
            assertThat(System.nanoTime()).as("row %s within 10 s", id).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private List<Generation> rows(int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Generation> out = rowsNow();
        while (out.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
            out = rowsNow();
        }
        return out;
    }

    private List<Generation> rowsNow() throws Exception {
        assertThat(writer.drain(Duration.ofSeconds(30))).isTrue();
        List<Generation> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); ResultSet rs = c.createStatement()
                .executeQuery("SELECT * FROM generation ORDER BY started_at, id")) {
            while (rs.next()) {
                out.add(LedgerRows.read(rs));
            }
        }
        return out;
    }

    private OpenAIClient openai() {
        return OpenAIOkHttpClient.builder().baseUrl(gateway("/openai/v1")).apiKey("sk-test-e2e")
                .putHeader("X-Article-Id", "a-1042").putHeader("X-Task", "article_rewrite").maxRetries(0).build();
    }

    @Test
    void theOpenAiJavaSdkCompletesAPlainCallAndTheRowIsPriced() throws Exception {
        upstream.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
                .addHeader("x-request-id", "req_e2e_plain").body(text("fixtures/openai/openai_chat.json")).build());

        ChatCompletion done = openai().chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-5.4").addUserMessage("Hello!").build());

        assertThat(done.choices().get(0).message().content()).hasValueSatisfying(c -> assertThat(c).isNotBlank());
        List<Generation> all = rows(1);
        assertThat(all).hasSize(1);
        Generation g = all.get(0);
        assertThat(g.provider()).isEqualTo("openai");
        assertThat(g.operation()).isEqualTo("chat");
        assertThat(g.model()).isEqualTo("gpt-5.4");
        assertThat(g.articleId()).isEqualTo("a-1042");
        assertThat(g.task()).isEqualTo("article_rewrite");
        assertThat(g.upstreamRequestId()).isEqualTo("req_e2e_plain");
        assertThat(g.usage().inputTokens()).isEqualTo(19);
        assertThat(g.usage().outputTokens()).isEqualTo(10);
        // gpt-5.4: 19 in × $2.50/1M = 0.0000475; 10 out × $15/1M = 0.00015
        assertThat(g.cost().inputCostUsd()).isEqualByComparingTo("0.0000475");
        assertThat(g.cost().outputCostUsd()).isEqualByComparingTo("0.00015");
        assertThat(g.cost().costUsd()).isEqualByComparingTo("0.0001975");
        assertThat(g.keyId()).isEqualTo(new KeyIds(ProxyHarness.SECRET).fingerprint("sk-test-e2e"));
    }

    @Test
    void aStreamWithoutUsageGetsExactUsageWhileTheSdkSeesNoUsageChunk() throws Exception {
        upstream.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
                .addHeader("x-request-id", "req_e2e_stream")
                .chunkedBody(text("fixtures/openai/openai_chat_stream.sse"), 97).build());

        StringBuilder content = new StringBuilder();
        int chunks = 0;
        int usageChunks = 0;
        try (StreamResponse<ChatCompletionChunk> s = openai().chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("gpt-3.5-turbo").addUserMessage("Say hi").build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) s.stream()::iterator) {
                chunks++;
                if (chunk.usage().isPresent()) {
                    usageChunks++;
                }
                chunk.choices().forEach(ch -> ch.delta().content().ifPresent(content::append));
            }
        }
        RecordedRequest up = upstream.takeRequest();
        // the gateway asked for usage upstream …
        assertThat(up.getBody().utf8()).contains("\"stream_options\"").contains("\"include_usage\":true");
        // … and the SDK got the stream it asked for: no usage chunk
        assertThat(usageChunks).isZero();
        assertThat(chunks).isPositive();
        assertThat(content.toString()).isNotEmpty();

        Generation g = rows(1).get(0);
        assertThat(g.streamed()).isTrue();
        assertThat(g.model()).isEqualTo("gpt-3.5-turbo-0125");
        assertThat(g.usage().inputTokens()).isEqualTo(10);
        assertThat(g.usage().outputTokens()).isEqualTo(5);
        assertThat(g.usage().estimated()).isFalse();
        assertThat(g.incomplete()).isFalse();
        // gpt-3.5-turbo: 10 in × $0.50/1M = 0.000005; 5 out × $1.50/1M = 0.0000075
        assertThat(g.cost().costUsd()).isEqualByComparingTo("0.0000125");
    }

    private Client gemini() {
        return Client.builder().apiKey("AIza-e2e-key").httpOptions(HttpOptions.builder()
                .baseUrl(gateway("/gemini")).headers(Map.of("X-Task", "faq_schema")).build()).build();
    }

    private static byte[] gzip(byte[] plain) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(plain);
        }
        return out.toByteArray();
    }

    @Test
    void theGoogleGenAiSdkCompletesAPlainAndAStreamedCallThroughTheGateway() throws Exception {
        // the Gemini API compresses unary responses (fixtures/gemini/gemini_headers.txt)
        upstream.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json; charset=UTF-8")
                .addHeader("Content-Encoding", "gzip")
                .body(new Buffer().write(gzip(resource("fixtures/gemini/gemini_generate.json")))).build());
        GenerateContentResponse plain = gemini().models.generateContent("gemini-2.0-flash", "Hi", null);
        assertThat(plain.text()).isNotBlank();
        assertThat(upstream.takeRequest().getTarget()).isEqualTo("/v1beta/models/gemini-2.0-flash:generateContent");

        upstream.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
                .chunkedBody(text("fixtures/gemini/gemini_stream.sse"), 61).build());
        StringBuilder streamed = new StringBuilder();
        try (ResponseStream<GenerateContentResponse> s = gemini().models.generateContentStream("gemini-2.5-flash",
                "Why is the sky blue?", null)) {
            for (GenerateContentResponse r : s) {
                if (r.text() != null) {
                    streamed.append(r.text());
                }
            }
        }
        assertThat(streamed).isNotEmpty();
        assertThat(upstream.takeRequest().getTarget())
                .isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");

        List<Generation> all = rows(2);
        assertThat(all).hasSize(2);
        Generation unary = all.get(0);
        assertThat(unary.model()).isEqualTo("gemini-2.0-flash");
        assertThat(unary.task()).isEqualTo("faq_schema");
        // gemini-2.0-flash: 7 in × $0.10/1M = 0.0000007; 22 out × $0.40/1M = 0.0000088
        assertThat(unary.cost().costUsd()).isEqualByComparingTo("0.0000095");
        assertThat(unary.responseBytes()).isLessThan(resource("fixtures/gemini/gemini_generate.json").length);
        Generation stream = all.get(1);
        assertThat(stream.streamed()).isTrue();
        assertThat(stream.model()).isEqualTo("gemini-2.5-flash");
        assertThat(stream.upstreamRequestId()).isEqualTo("0J-HaJetAqv0jrEPwu-tsQ0");
        assertThat(stream.usage().inputTokens()).isEqualTo(10);
        assertThat(stream.usage().outputTokens()).isEqualTo(48 + 540); // candidates + thoughts
        // gemini-2.5-flash: 10 in × $0.30/1M = 0.000003; 588 out × $2.50/1M = 0.00147
        assertThat(stream.cost().costUsd()).isEqualByComparingTo("0.001473");
        assertThat(stream.keyId()).isEqualTo(new KeyIds(ProxyHarness.SECRET).fingerprint("AIza-e2e-key"));
    }

    @Test
    void elevenLabsSpeechIsPricedFromTheCharacterCostHeader() throws Exception {
        byte[] mp3 = new byte[48_000];
        new java.util.Random(5).nextBytes(mp3);
        upstream.enqueue(new MockResponse.Builder().addHeader("Content-Type", "audio/mpeg")
                .addHeader("request-id", "OgDy9eSGGYSpJ3Lnmh9p").addHeader("character-cost", "49")
                .chunkedBody(new Buffer().write(mp3), 4096).build());
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(
                        gateway("/elevenlabs/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM?output_format=mp3_44100_128")))
                .header("xi-api-key", "el-e2e-key").header("Content-Type", "application/json")
                .header("X-Task", "audio_narration")
                .POST(HttpRequest.BodyPublishers.ofByteArray(resource("fixtures/elevenlabs/elevenlabs_tts_request.json")))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.body()).isEqualTo(mp3);
        Generation g = row(r.headers().firstValue("x-generation-id").orElseThrow());
        assertThat(g.modality()).isEqualTo(Modality.AUDIO);
        assertThat(g.model()).isEqualTo("eleven_multilingual_v2");
        assertThat(g.usage().characters()).isEqualTo("The first move is what sets everything in motion.".length());
        assertThat(g.usage().credits()).isEqualByComparingTo("49");
        // 49 credits × $0.0001 per credit (pay-as-you-go)
        assertThat(g.cost().costUsd()).isEqualByComparingTo("0.0049");
        assertThat(g.upstreamRequestId()).isEqualTo("OgDy9eSGGYSpJ3Lnmh9p");
    }

    @Test
    void aReplicatePredictionIsPendingUntilAPollThroughTheGatewayFinalisesIt() throws Exception {
        String created = text("fixtures/replicate/replicate_official_model_create_starting.json");
        String id = "heat2o3bzn3ahtr6bjfftvbaci";
        upstream.enqueue(new MockResponse.Builder().code(201).addHeader("Content-Type", "application/json")
                .body(created).build());
        HttpResponse<String> create = http.send(HttpRequest.newBuilder(URI.create(
                        gateway("/replicate/v1/models/black-forest-labs/flux-schnell/predictions")))
                .header("Authorization", "Bearer r8_e2e").header("Content-Type", "application/json")
                .header("X-Task", "hero_image")
                .POST(HttpRequest.BodyPublishers.ofString(text("fixtures/replicate/replicate_flux_schnell_request.json")))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(create.statusCode()).isEqualTo(201);
        String rowId = create.headers().firstValue("x-generation-id").orElseThrow();
        Generation pending = row(rowId);
        assertThat(pending.state()).isEqualTo(Generation.State.PENDING);
        assertThat(pending.model()).isEqualTo("black-forest-labs/flux-schnell"); // the path's model, not the body's
        assertThat(pending.upstreamRequestId()).isEqualTo(id);
        assertThat(pending.cost().priced()).isFalse();

        // the SDK polls through the gateway until the prediction is done (two images)
        String succeeded = text("fixtures/replicate/replicate_flux_schnell_succeeded.json")
                .replace("r3kd7m2v5hrj00cjb4xx0q1a8c", id);
        upstream.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json").body(succeeded).build());
        HttpResponse<String> poll = http.send(HttpRequest.newBuilder(URI.create(gateway("/replicate/v1/predictions/" + id)))
                .header("Authorization", "Bearer r8_e2e").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(poll.statusCode()).isEqualTo(200);

        // the event loop offers the poll's finalisation just after the client has the poll's last byte
        Generation done = row(rowId);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (done.state() != Generation.State.COMPLETE && System.nanoTime() < deadline) {
            Thread.sleep(20);
            done = row(rowId);
        }
        assertThat(done.state()).isEqualTo(Generation.State.COMPLETE);
        assertThat(done.usage().images()).isEqualTo(2);
        assertThat(done.completedAt()).isNotNull();
        // flux-schnell: 2 output images × $0.003 = 0.006
        assertThat(done.cost().costUsd()).isEqualByComparingTo("0.006");
        Generation pollRow = row(poll.headers().firstValue("x-generation-id").orElseThrow());
        assertThat(pollRow.modality()).isEqualTo(Modality.NONE);
        assertThat(pollRow.operation()).isEqualTo("poll");
        assertThat(UUID.fromString(pollRow.id().toString())).isNotEqualTo(done.id());
    }
}
