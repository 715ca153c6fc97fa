package dev.genledger.proxy.openai;

import static dev.genledger.proxy.openai.Observe.everyWay;
import static dev.genledger.proxy.openai.Observe.fixture;
import static dev.genledger.proxy.openai.Observe.openai;
import static dev.genledger.proxy.openai.Observe.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.provider.ExchangeHarness;
import dev.genledger.proxy.provider.RequestRewriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamUsageRewriterTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String inject(String body) {
        byte[] out = StreamUsageRewriter.inject(body.getBytes(StandardCharsets.UTF_8));
        return out == null ? null : new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void aStreamWithoutStreamOptionsGetsTheMemberRightAfterStreamTrue() {
        assertThat(inject("{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[]}"))
                .isEqualTo("{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[]}");
    }

    @Test
    void everyOtherByteOfAPrettyPrintedBodyStaysAsSent() {
        String body = """
                {
                  "model" : "gpt-4o",
                  "temperature" : 0.70,
                  "top_p" : 1E-3,
                  "seed" : 12345678901234567890123,
                  "messages" : [ { "role" : "user", "content" : "héllo \\u00e9 \\"stream\\": false" } ],
                  "stream" : true
                }
                """;
        String out = inject(body);
        assertThat(out).isEqualTo(body.replace("\"stream\" : true", "\"stream\" : true,\"stream_options\":{\"include_usage\":true}"));
    }

    @Test
    void anExistingStreamOptionsObjectGetsIncludeUsageAsItsFirstMember() {
        assertThat(inject("{\"stream\":true,\"stream_options\":{\"include_obfuscation\":false}}"))
                .isEqualTo("{\"stream\":true,\"stream_options\":{\"include_usage\":true,\"include_obfuscation\":false}}");
        assertThat(inject("{\"stream_options\": { },\"stream\":true}"))
                .isEqualTo("{\"stream_options\": {\"include_usage\":true },\"stream\":true}");
    }

    @Test
    void includeUsageFalseOrNullAndStreamOptionsNullAreTurnedToTrue() {
        assertThat(inject("{\"stream\":true,\"stream_options\":{\"include_usage\": false, \"x\":1}}"))
                .isEqualTo("{\"stream\":true,\"stream_options\":{\"include_usage\": true, \"x\":1}}");
        assertThat(inject("{\"stream\":true,\"stream_options\":{\"include_usage\":null}}"))
                .isEqualTo("{\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        assertThat(inject("{\"stream\":true,\"stream_options\":null}"))
                .isEqualTo("{\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"stream\":true,\"stream_options\":{\"include_usage\":true}}", // the client asked itself
            "{\"stream\":false}",
            "{\"model\":\"gpt-4o\",\"messages\":[]}", // not a stream
            "{\"stream\":\"true\"}",
            "[{\"stream\":true}]",
            "{\"stream\":true} trailing",
            "{\"stream\":true,\"stream\":true}", // which key counts is the server's business
            "{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"stream_options\":{}}",
            "{\"stream\":true,\"stream_options\":\"x\"}",
            "{\"stream\":true,\"stream_options\":{\"include_usage\":1}}",
            "{\"stream\":true,",
            "",
            "not json"})
    void bodiesThatNeedNoRewriteOrAreNotUnderstoodAreForwardedUnchanged(String body) {
        assertThat(inject(body)).isNull();
    }

    @Test
    void theRewrittenBodyMeansTheSameAsTheOriginalPlusIncludeUsage() throws Exception {
        byte[] original = ("{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_obfuscation\":false},"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"日本語 😀\"}]}],"
                + "\"logit_bias\":{\"50256\":-100},\"max_tokens\":1.5e2}").getBytes(StandardCharsets.UTF_8);
        JsonNode rewritten = MAPPER.readTree(StreamUsageRewriter.inject(original));
        ObjectNode expected = (ObjectNode) MAPPER.readTree(original);
        ((ObjectNode) expected.get("stream_options")).put("include_usage", true);
        assertThat(rewritten).isEqualTo(expected);
    }

    @Test
    void theRewriterIsOfferedForChatCompletionsOnlyAndOnlyWhenSwitchedOn() {
        String stream = "{\"model\":\"gpt-4o\",\"input\":\"hi\",\"stream\":true}";
        RequestRewriter chat = openai(true).request("POST", "/v1/chat/completions").requestBody(stream).run()
                .exchange().rewriter();
        assertThat(chat).isNotNull();
        assertThat(chat.maxBytes()).isEqualTo(8 * 1024 * 1024);
        assertThat(openai(false).request("POST", "/v1/chat/completions").requestBody(stream).run().exchange()
                .rewriter()).isNull();
        // the Responses API rejects stream_options and always reports usage in its terminal event
        ExchangeHarness.Result responses = openai(true).request("POST", "/v1/responses").requestBody(stream).run();
        assertThat(responses.exchange().rewriter()).isNull();
        assertThat(responses.forwardedRequest()).isEqualTo(stream.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCrlfFramedStreamIsFilteredJustTheSame() {
        String request = "{\"model\":\"gpt-3.5-turbo-0125\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}],\"stream\":true}";
        ExchangeHarness.Result r = everyWay(openai().request("POST", "/v1/chat/completions").requestBody(request)
                .response(200, text("openai_chat_stream.sse").replace("\n", "\r\n"))
                .responseHeader("content-type", "text/event-stream"));

        assertThat(r.clientText()).isEqualTo(text("openai_chat_stream_no_usage.sse").replace("\n", "\r\n"));
        assertThat(r.observation().usage()).isEqualTo(Usage.builder().inputTokens(10).outputTokens(5)
                .attribute("service_tier", "default").build());
    }

    @Test
    void eachEventIsReleasedAtItsBlankLineNotHeldToTheEnd() {
        UsageChunkFilter filter = new UsageChunkFilter(() -> false);
        String first = "data: {\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n";
        String second = "data: {\"id\":\"c\",\"usage\":null,\"choices\":[]}\n\n";

        assertThat(out(filter.filter(bytes(first + second.substring(0, 10)))))
                .isEqualTo("data: {\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n");
        // choices [] with usage null is not the usage chunk: only the null member goes
        assertThat(out(filter.filter(bytes(second.substring(10))))).isEqualTo("data: {\"id\":\"c\",\"choices\":[]}\n\n");
        assertThat(out(filter.finish())).isEmpty();
    }

    @Test
    void aLastEventWithoutItsBlankLineIsReleasedAtTheEnd() {
        UsageChunkFilter filter = new UsageChunkFilter(() -> false);
        assertThat(out(filter.filter(bytes("data: {\"a\":1,\"usage\" : null }")))).isEmpty();
        assertThat(out(filter.finish())).isEqualTo("data: {\"a\":1 }");
    }

    @Test
    void commentsDoneAndEventsItDoesNotUnderstandPassUntouched() {
        UsageChunkFilter filter = new UsageChunkFilter(() -> false);
        String in = ": keep-alive\n\nevent: x\ndata: {\"usage\":null}\n\ndata: {\"usage\":null\n\ndata: [DONE]\n\n";
        assertThat(out(filter.filter(bytes(in))) + out(filter.finish())).isEqualTo(in);
    }

    @Test
    void anOversizedEventIsRelayedAsItComesInsteadOfHeld() {
        UsageChunkFilter filter = new UsageChunkFilter(() -> false);
        String big = "data: {\"content\":\"" + "x".repeat(2 * 1024 * 1024) + "\",\"usage\":null}";
        String relayed = out(filter.filter(bytes(big)));
        assertThat(relayed.length()).as("released before the event ended").isGreaterThan(1024 * 1024);
        assertThat(relayed + out(filter.filter(bytes("\n\ndata: {\"usage\":null,\"a\":1}\n\n"))) + out(filter.finish()))
                .isEqualTo(big + "\n\ndata: {\"a\":1}\n\n");
    }

    @Test
    void aJsonBodyOrAnErrorIsRelayedUntouched() {
        String error = text("openai_error_400.json");
        UsageChunkFilter sniffed = new UsageChunkFilter(() -> false);
        assertThat(out(sniffed.filter(bytes(error)))).isEqualTo(error);
        assertThat(out(sniffed.finish())).isEmpty();

        UsageChunkFilter told = new UsageChunkFilter(() -> true);
        String sse = "data: {\"usage\":null}\n\n";
        assertThat(out(told.filter(bytes(sse)))).isEqualTo(sse);
    }

    @Test
    void theUsageChunkIsTheOnlyEventDropped() {
        byte[] with = fixture("openai_chat_stream.sse");
        UsageChunkFilter filter = new UsageChunkFilter(() -> false);
        String out = out(filter.filter(ByteBuffer.wrap(with))) + out(filter.finish());
        assertThat(out).isEqualTo(text("openai_chat_stream_no_usage.sse"));
        assertThat(out.split("\n\n")).hasSize(9); // 8 chunks and [DONE]; the usage chunk is gone
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String out(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return new String(a, StandardCharsets.UTF_8);
    }
}
