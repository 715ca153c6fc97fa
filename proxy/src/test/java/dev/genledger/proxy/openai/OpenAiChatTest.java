package dev.genledger.proxy.openai;

import static dev.genledger.proxy.openai.Observe.afterEvent;
import static dev.genledger.proxy.openai.Observe.everyWay;
import static dev.genledger.proxy.openai.Observe.fixture;
import static dev.genledger.proxy.openai.Observe.observation;
import static dev.genledger.proxy.openai.Observe.openai;
import static dev.genledger.proxy.openai.Observe.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.ledger.Modality;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.ExchangeHarness;
import dev.genledger.proxy.provider.Observation;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiChatTest {
    private static final String STREAM_REQUEST_WITHOUT_USAGE =
            "{\"model\":\"gpt-3.5-turbo-0125\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}],\"stream\":true}";

    private static ExchangeHarness chat(ExchangeHarness h, byte[] request) {
        return h.request("POST", "/v1/chat/completions")
                .requestHeader("content-type", "application/json")
                .requestBody(request);
    }

    private static ExchangeHarness stream(ExchangeHarness h, String request, byte[] sse) {
        return chat(h, request.getBytes(StandardCharsets.UTF_8))
                .response(200, sse)
                .responseHeader("content-type", "text/event-stream; charset=utf-8")
                .responseHeader("x-request-id", "req_stream");
    }

    @Test
    void aCompletionReportsTheResponseSnapshotItsUsageServiceTierAndRequestId() {
        Observation o = observation(chat(openai(), fixture("openai_chat_request.json"))
                .response(200, fixture("openai_chat.json"))
                .responseHeaders(text("openai_response_headers.txt")));

        // usage: prompt_tokens 19 (cached 0, audio 0), completion_tokens 10 (reasoning 0, audio 0)
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(19).outputTokens(10)
                .attribute("service_tier", "default").build());
        assertThat(o.operation()).isEqualTo("chat");
        assertThat(o.modality()).isEqualTo(Modality.TEXT);
        assertThat(o.model()).isEqualTo("gpt-5.4");
        assertThat(o.streamed()).isFalse();
        assertThat(o.incomplete()).isFalse();
        assertThat(o.errorMessage()).isNull();
        assertThat(o.upstreamRequestId()).isEqualTo("req_deaa3616cbd15d33b4db96b3ba74d2b4");
        assertThat(o.job()).isEqualTo(AsyncJob.NONE);
    }

    @Test
    void tokenDetailsAreSubsetsTakenAsReportedAndTheDatedSnapshotWinsOverTheRequestModel() {
        String body = """
                {"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o-audio-preview-2025-06-03",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"audio":{"id":"a1","data":"UklGRg=="}}}],
                 "usage":{"prompt_tokens":1200,"completion_tokens":300,"total_tokens":1500,
                  "prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":50,"image_tokens":85},
                  "completion_tokens_details":{"reasoning_tokens":128,"audio_tokens":90,
                   "accepted_prediction_tokens":0,"rejected_prediction_tokens":12}},
                 "service_tier":"priority"}
                """;
        Observation o = observation(chat(openai(), "{\"model\":\"gpt-4o-audio-preview\",\"messages\":[]}"
                .getBytes(StandardCharsets.UTF_8)).response(200, body).responseHeader("content-type", "application/json"));

        // input 1200 ⊇ cached 1024, audio 50, image 85; output 300 ⊇ reasoning 128, audio 90;
        // the 12 rejected prediction tokens are already inside the 300 and are not added again
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(1200).cachedInputTokens(1024).inputAudioTokens(50)
                .inputImageTokens(85).outputTokens(300).reasoningTokens(128).outputAudioTokens(90)
                .attribute("service_tier", "priority").build());
        assertThat(o.model()).isEqualTo("gpt-4o-audio-preview-2025-06-03");
    }

    @Test
    void aStreamWhoseClientAskedForUsageIsReadFromTheUsageChunkAndRelayedUntouched() {
        byte[] sse = fixture("openai_chat_stream.sse");
        ExchangeHarness.Result r = everyWay(stream(openai(), text("openai_chat_stream_request.json"), sse));

        // the chunk with "choices": [] carries prompt_tokens 10, completion_tokens 5
        assertThat(r.observation().usage()).isEqualTo(Usage.builder().inputTokens(10).outputTokens(5)
                .attribute("service_tier", "default").build());
        assertThat(r.observation().model()).isEqualTo("gpt-3.5-turbo-0125");
        assertThat(r.observation().streamed()).isTrue();
        assertThat(r.observation().incomplete()).isFalse();
        assertThat(r.observation().upstreamRequestId()).isEqualTo("req_stream");
        assertThat(r.forwardedRequest()).isEqualTo(fixture("openai_chat_stream_request.json"));
        assertThat(r.clientText()).isEqualTo(text("openai_chat_stream.sse"));
    }

    /**
     * A client may leave once it has the closing {@code data: [DONE]} (the Python SDK does, before
     * the chunked body's last bytes): the exchange says it is done from that event's blank line on,
     * however the bytes were cut, and its usage is then complete; not a byte earlier.
     */
    @Test
    void theStreamIsDoneFromItsClosingDoneEventOnHoweverTheBytesAreCut() {
        byte[] sse = fixture("openai_chat_stream.sse");
        String request = text("openai_chat_stream_request.json");
        int done = sse.length; // the fixture ends with "data: [DONE]\n\n"
        for (int size : new int[] {1, 2, 5, 64, Integer.MAX_VALUE}) {
            ExchangeHarness.Result atDone = stream(openai(), request, sse).cutAfter(done, Ending.COMPLETE).run(size);
            assertThat(atDone.exchange().responseDone()).as("pieces of %d", size).isTrue();
            assertThat(atDone.observation().incomplete()).isFalse();
            assertThat(atDone.observation().usage().inputTokens()).isEqualTo(10);
            assertThat(atDone.observation().usage().estimated()).isFalse();
            for (int cut : new int[] {done - 1, done - 2, done - "data: [DONE]\n\n".length()}) {
                ExchangeHarness.Result before = stream(openai(), request, sse).cutAfter(cut, Ending.CLIENT_ABORTED)
                        .run(size);
                assertThat(before.exchange().responseDone()).as("cut at %d, pieces of %d", cut, size).isFalse();
            }
        }
        // a Responses stream is done at its terminal event, not at the many "….done" events before it
        byte[] responses = fixture("openai_responses_stream.sse");
        ExchangeHarness.Result whole = stream(openai(), text("openai_responses_stream_request.json"), responses)
                .cutAfter(responses.length, Ending.COMPLETE).run(7);
        assertThat(whole.exchange().responseDone()).isTrue();
        int beforeLast = new String(responses, StandardCharsets.ISO_8859_1).lastIndexOf("event: response.completed");
        assertThat(beforeLast).isPositive();
        ExchangeHarness.Result cut = stream(openai(), text("openai_responses_stream_request.json"), responses)
                .cutAfter(beforeLast, Ending.CLIENT_ABORTED).run(7);
        assertThat(cut.exchange().responseDone()).isFalse();
    }

    @Test
    void aStreamWhoseClientDidNotAskGetsUsageUpstreamAndTheClientReceivesExactlyTheStreamItAskedFor() {
        // upstream answers the rewritten request with the usage stream; the client must get the
        // stream OpenAI sends without include_usage, byte for byte, however the bytes are cut
        ExchangeHarness.Result r = everyWay(stream(openai(), STREAM_REQUEST_WITHOUT_USAGE,
                fixture("openai_chat_stream.sse")));

        assertThat(new String(r.forwardedRequest(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"model\":\"gpt-3.5-turbo-0125\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}],"
                        + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        assertThat(r.clientText()).isEqualTo(text("openai_chat_stream_no_usage.sse"));
        assertThat(r.observation().usage()).isEqualTo(Usage.builder().inputTokens(10).outputTokens(5)
                .attribute("service_tier", "default").build());
        assertThat(r.observation().incomplete()).isFalse();
    }

    @Test
    void withTheInjectionOffAStreamWithoutUsageIsEstimatedFromThePromptAndTheContentDeltas() {
        ExchangeHarness.Result r = everyWay(stream(openai(false), STREAM_REQUEST_WITHOUT_USAGE,
                fixture("openai_chat_stream_no_usage.sse")));

        assertThat(r.forwardedRequest()).isEqualTo(STREAM_REQUEST_WITHOUT_USAGE.getBytes(StandardCharsets.UTF_8));
        assertThat(r.clientText()).isEqualTo(text("openai_chat_stream_no_usage.sse"));
        // input: "Say hi" is 6 bytes → ceil(6 / 4) = 2 tokens;
        // output: non-empty content deltas "Hi" "," " how" " are" " you" "?" = 6 (the role chunk's "" is not one)
        assertThat(r.observation().usage()).isEqualTo(Usage.builder().inputTokens(2).outputTokens(6)
                .attribute("service_tier", "default").estimated(true).build());
        assertThat(r.observation().incomplete()).isTrue();
        assertThat(r.observation().streamed()).isTrue();
    }

    @Test
    void aStreamCutOffByTheClientKeepsWhatWasSeenAsAnEstimate() {
        byte[] sse = fixture("openai_chat_stream.sse");
        // the client hangs up after the 4th event (role, "Hi", ",", " how")
        ExchangeHarness.Result r = everyWay(stream(openai(), text("openai_chat_stream_request.json"), sse)
                .cutAfter(afterEvent(sse, 4), Ending.CLIENT_ABORTED));

        // input: ceil(6 bytes of "Say hi" / 4) = 2; output: 3 content deltas seen
        assertThat(r.observation().usage()).isEqualTo(Usage.builder().inputTokens(2).outputTokens(3)
                .attribute("service_tier", "default").estimated(true).build());
        assertThat(r.observation().incomplete()).isTrue();
        assertThat(r.observation().model()).isEqualTo("gpt-3.5-turbo-0125");
    }

    @Test
    void aStreamCutInsideTheUsageChunkIsEstimatedNotTakenHalfRead() {
        byte[] sse = fixture("openai_chat_stream.sse");
        int inUsage = new String(sse, StandardCharsets.ISO_8859_1).indexOf("\"completion_tokens_details\"");
        Observation o = observation(stream(openai(), text("openai_chat_stream_request.json"), sse)
                .cutAfter(inUsage, Ending.UPSTREAM_FAILED));

        // 6 content deltas were seen before the break; input ceil(6 / 4) = 2
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(2).outputTokens(6)
                .attribute("service_tier", "default").estimated(true).build());
        assertThat(o.incomplete()).isTrue();
    }

    @Test
    void aStreamCutAfterTheUsageChunkButBeforeDoneKeepsTheExactUsage() {
        byte[] sse = fixture("openai_chat_stream.sse");
        Observation o = observation(stream(openai(), text("openai_chat_stream_request.json"), sse)
                .cutAfter(afterEvent(sse, 9), Ending.CLIENT_ABORTED));

        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(10).outputTokens(5)
                .attribute("service_tier", "default").build());
        assertThat(o.incomplete()).isFalse();
    }

    @Test
    void aClientThatHangsUpBeforeTheResponseLeavesAnEstimateOfThePrompt() {
        Observation o = observation(chat(openai(), fixture("openai_chat_request.json"))
                .ending(Ending.CLIENT_ABORTED));

        // "You are a helpful assistant." (28 bytes) + "Hello!" (6) = 34 bytes → ceil(34 / 4) = 9 tokens
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(9).estimated(true).build());
        assertThat(o.incomplete()).isTrue();
        assertThat(o.model()).isEqualTo("gpt-5.4");
    }

    @Test
    void anUpstreamThatNeverAnsweredAndARejectedRequestHaveNoUsage() {
        Observation failed = observation(chat(openai(), fixture("openai_chat_request.json"))
                .ending(Ending.UPSTREAM_FAILED));
        assertThat(failed.usage()).isEqualTo(Usage.NONE);
        assertThat(failed.incomplete()).isTrue();

        Observation rejected = observation(chat(openai(), fixture("openai_chat_request.json"))
                .ending(Ending.REJECTED));
        assertThat(rejected.usage()).isEqualTo(Usage.NONE);
        assertThat(rejected.incomplete()).isFalse();
        assertThat(rejected.operation()).isEqualTo("chat");
    }

    @Test
    void anErrorResponseCarriesTheProviderMessageAndNoUsage() {
        Observation bad = observation(chat(openai(), fixture("openai_chat_request.json"))
                .response(400, fixture("openai_error_400.json"))
                .responseHeader("content-type", "application/json")
                .responseHeader("x-request-id", "req_err"));
        assertThat(bad.usage()).isEqualTo(Usage.NONE);
        assertThat(bad.errorMessage()).isEqualTo("Invalid request: missing required field");
        assertThat(bad.upstreamRequestId()).isEqualTo("req_err");
        assertThat(bad.incomplete()).isFalse();
        assertThat(bad.model()).isEqualTo("gpt-5.4");

        Observation limited = observation(chat(openai(), fixture("openai_chat_request.json"))
                .response(429, fixture("openai_error_429.json"))
                .responseHeader("content-type", "application/json"));
        assertThat(limited.usage()).isEqualTo(Usage.NONE);
        assertThat(limited.errorMessage()).startsWith("Rate limit reached for gpt-4o-mini").endsWith("in 210ms.");
    }

    @Test
    void anErrorAnsweringARewrittenStreamReachesTheClientUnfiltered() {
        byte[] error = fixture("openai_error_429.json");
        ExchangeHarness.Result r = everyWay(chat(openai(), STREAM_REQUEST_WITHOUT_USAGE.getBytes(StandardCharsets.UTF_8))
                .response(429, error).responseHeader("content-type", "application/json"));

        assertThat(new String(r.forwardedRequest(), StandardCharsets.UTF_8)).contains("\"include_usage\":true");
        assertThat(r.clientText()).isEqualTo(text("openai_error_429.json"));
        assertThat(r.observation().errorMessage()).startsWith("Rate limit reached");
    }

    @Test
    void aLongErrorMessageIsCutTo500Characters() {
        String message = "x".repeat(3000);
        Observation o = observation(chat(openai(), fixture("openai_chat_request.json"))
                .response(500, "{\"error\":{\"message\":\"" + message + "\",\"type\":\"server_error\"}}"));
        assertThat(o.errorMessage()).hasSize(500);
    }

    @Test
    void anErrorEventMidStreamIsReportedAndWhatWasSeenIsEstimated() {
        String sse = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-2024-08-06\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}],\"usage\":null}\n\n"
                + "data: {\"error\":{\"message\":\"The server had an error while processing your request.\","
                + "\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n";
        Observation o = observation(stream(openai(), text("openai_chat_stream_request.json"),
                sse.getBytes(StandardCharsets.UTF_8)));

        assertThat(o.errorMessage()).isEqualTo("The server had an error while processing your request.");
        // input ceil(6 / 4) = 2; output: one content delta
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(2).outputTokens(1).estimated(true).build());
        assertThat(o.incomplete()).isTrue();
        assertThat(o.model()).isEqualTo("gpt-4o-2024-08-06");
    }

    @Test
    void aLongPromptIsMeasuredWholeForTheEstimateThoughTheParserCutsIt() {
        // 100,000 bytes of prompt, with escapes: \" counts one byte, \u00e9 two (é in UTF-8)
        String content = "abcd".repeat(24_997) + "\\\"\\u00e9x";
        String request = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\""
                + content + "\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,"
                + "QUJD".repeat(50_000) + "\"}}]}],\"stream\":true}";
        Observation o = chat(openai(false), request.getBytes(StandardCharsets.UTF_8))
                .ending(Ending.CLIENT_ABORTED).run(8192).observation();

        // 99,988 + 1 (\") + 2 (é) + 1 (x) = 99,992 bytes of text → 24,998 tokens; the data URL is not text
        assertThat(o.usage().inputTokens()).isEqualTo(24_998);
        assertThat(o.usage().estimated()).isTrue();
        assertThat(o.streamed()).isTrue();
    }

    @Test
    void theLegacyCompletionsApiIsMeteredLikeChat() {
        String body = "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"model\":\"gpt-3.5-turbo-instruct\","
                + "\"choices\":[{\"text\":\"\\n\\nThis is a test.\",\"index\":0,\"logprobs\":null,\"finish_reason\":\"length\"}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}";
        Observation o = observation(openai().request("POST", "/v1/completions")
                .requestBody("{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say this is a test\"}")
                .response(200, body).responseHeader("content-type", "application/json"));

        assertThat(o.operation()).isEqualTo("chat");
        assertThat(o.modality()).isEqualTo(Modality.TEXT);
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(5).outputTokens(7).build());
        assertThat(openai().request("POST", "/v1/completions").requestBody("{\"stream\":true}").run().exchange()
                .rewriter()).as("only chat completions are rewritten").isNull();
    }
}
