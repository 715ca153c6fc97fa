package dev.genledger.proxy.gemini;

import static dev.genledger.proxy.provider.ExchangeHarness.resource;
import static dev.genledger.proxy.provider.ObservationSplits.sameForEverySplit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.ledger.Modality;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.Exchange;
import dev.genledger.proxy.provider.ExchangeHarness;
import dev.genledger.proxy.provider.HeaderView;
import dev.genledger.proxy.provider.Observation;
import dev.genledger.proxy.provider.ObservationSplits;
import dev.genledger.proxy.provider.RequestInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** generateContent and streamGenerateContent through the Gemini adapter, fixture by fixture. */
class GeminiGenerateTest {
    private static final String F = "fixtures/gemini/";
    private final GeminiAdapter adapter = new GeminiAdapter();

    private ExchangeHarness unary(String model, String request, String response) {
        return new ExchangeHarness(adapter)
                .request("POST", "/v1beta/models/" + model + ":generateContent")
                .requestHeader("content-type", "application/json")
                .requestBody(resource(F + request))
                .responseHeader("content-type", "application/json; charset=UTF-8")
                .response(200, resource(F + response));
    }

    private ExchangeHarness sse(String model, String request, String response) {
        return new ExchangeHarness(adapter)
                .request("POST", "/v1beta/models/" + model + ":streamGenerateContent?alt=sse")
                .requestHeader("content-type", "application/json")
                .requestBody(resource(F + request))
                .responseHeader("content-type", "text/event-stream")
                .response(200, resource(F + response));
    }

    @Test
    void unaryReplyTakesPromptAndCandidatesAndTheResponseModel() {
        Observation o = sameForEverySplit(unary("gemini-2.0-flash", "gemini_generate_request.json", "gemini_generate.json"));
        // promptTokenCount 7 → input; candidatesTokenCount 22 + no thoughts → output 22
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(7).outputTokens(22).build());
        assertThat(o.operation()).isEqualTo("chat");
        assertThat(o.modality()).isEqualTo(Modality.TEXT);
        assertThat(o.model()).isEqualTo("gemini-2.0-flash");
        assertThat(o.streamed()).isFalse();
        assertThat(o.upstreamRequestId()).isNull(); // this response has no responseId
        assertThat(o.incomplete()).isFalse();
        assertThat(o.errorMessage()).isNull();
        assertThat(o.job()).isEqualTo(AsyncJob.NONE);
    }

    @Test
    void thoughtsAreAddedToOutputAndReportedAsReasoning() {
        Observation o = sameForEverySplit(unary("gemini-2.5-flash", "gemini_generate_request.json",
                "gemini_generate_thinking.json"));
        // candidates 2 + thoughts 24 = output 26 (thoughts are not inside candidates: total 40 = 14 + 2 + 24)
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(14).outputTokens(26).reasoningTokens(24).build());
        assertThat(o.upstreamRequestId()).isEqualTo("2pmHaJqQEoqC-8YP6eStyAY");
        assertThat(o.model()).isEqualTo("gemini-2.5-flash");
    }

    @Test
    void aMaxTokensReplyWithOnlyThoughtsStillCountsThem() {
        Observation o = sameForEverySplit(unary("gemini-2.5-flash", "gemini_generate_request.json",
                "gemini_generate_max_tokens_thoughts_only.json"));
        // no candidatesTokenCount at all: output = 0 + thoughts 19
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(7).outputTokens(19).reasoningTokens(19).build());
        assertThat(o.upstreamRequestId()).isEqualTo("iS77aMa9K_up1e8P5J69qQQ");
        assertThat(o.incomplete()).isFalse();
    }

    @Test
    void toolUsePromptTokensAreBilledAsInput() {
        Observation o = sameForEverySplit(unary("gemini-2.5-flash", "gemini_generate_request.json",
                "gemini_generate_tooluse_url_context.json"));
        // input = prompt 15 + toolUsePrompt 424 = 439; output = candidates 102 + thoughts 142 = 244
        // (totalTokenCount 683 = 439 + 244)
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(439).outputTokens(244).reasoningTokens(142).build());
    }

    @Test
    void cachedContentIsASubsetOfThePrompt() {
        Observation o = sameForEverySplit(unary("gemini-2.5-flash", "gemini_generate_request.json",
                "gemini_generate_implicit_cache_vertex.json"));
        // input 12013 of which cached 11243; output = 15 + thoughts 73 = 88 (total 12101 = 12013 + 88)
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(12013).cachedInputTokens(11243)
                .outputTokens(88).reasoningTokens(73).build());
    }

    @Test
    void audioInputTokensComeFromThePromptDetailsWhateverTheKeyOrder() {
        Observation o = sameForEverySplit(unary("gemini-2.5-flash", "gemini_generate_request.json",
                "gemini_generate_audio_input.json"));
        // prompt 270 = TEXT 20 + AUDIO 250 (the AUDIO entry lists tokenCount before modality)
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(270).inputAudioTokens(250).outputTokens(11).build());
    }

    @Test
    void imageOutputTokensComeFromTheCandidatesDetails() {
        Observation o = sameForEverySplit(unary("gemini-2.0-flash-preview-image-generation",
                "gemini_image_request.json", "gemini_image.json"));
        // candidates 1318 of which IMAGE 1290 (the details list only the image; the rest is text)
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(15).outputTokens(1318).outputImageTokens(1290).build());
        assertThat(o.operation()).isEqualTo("image");
        assertThat(o.modality()).isEqualTo(Modality.IMAGE);
        assertThat(o.upstreamRequestId()).isEqualTo("mS77aIOaD5qFvr0P1b_T4AY");
    }

    @Test
    void flashImageModelReportsOneImageOf1290Tokens() {
        Observation o = sameForEverySplit(unary("gemini-2.5-flash-image", "gemini_image_request.json",
                "gemini_image_2.5-flash-image.json"));
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(14).outputTokens(1290).outputImageTokens(1290).build());
        assertThat(o.model()).isEqualTo("gemini-2.5-flash-image");
        assertThat(o.modality()).isEqualTo(Modality.IMAGE);
    }

    @Test
    void ttsModelReportsAudioOutputTokens() {
        Observation o = sameForEverySplit(unary("gemini-2.5-flash-preview-tts", "gemini_tts_request.json",
                "gemini_tts.json"));
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(8).outputTokens(48).outputAudioTokens(48).build());
        assertThat(o.operation()).isEqualTo("speech");
        assertThat(o.modality()).isEqualTo(Modality.AUDIO);
        assertThat(o.model()).isEqualTo("gemini-2.5-flash-preview-tts");
    }

    @Test
    void sseStreamTakesTheLastCumulativeUsageNeverTheSum() {
        Observation o = sameForEverySplit(sse("gemini-2.5-flash", "gemini_stream_request.json", "gemini_stream.sse"));
        // five CRLF events; usage grows 80 → 328 → 550 → 572 → 598; the last one wins:
        // input 10, output = candidates 48 + thoughts 540 = 588 (598 = 10 + 588)
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(10).outputTokens(588).reasoningTokens(540).build());
        assertThat(o.streamed()).isTrue();
        assertThat(o.incomplete()).isFalse();
        assertThat(o.upstreamRequestId()).isEqualTo("0J-HaJetAqv0jrEPwu-tsQ0");
        assertThat(o.model()).isEqualTo("gemini-2.5-flash");
    }

    @Test
    void jsonArrayStreamWithoutAltSseGivesTheSameUsage() {
        ExchangeHarness h = new ExchangeHarness(adapter)
                .request("POST", "/v1beta/models/gemini-2.5-flash:streamGenerateContent")
                .requestBody(resource(F + "gemini_stream_request.json"))
                .responseHeader("content-type", "application/json; charset=UTF-8")
                .response(200, resource(F + "gemini_stream_array.json"));
        Observation o = sameForEverySplit(h);
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(10).outputTokens(588).reasoningTokens(540).build());
        assertThat(o.streamed()).isTrue();
        assertThat(o.incomplete()).isFalse();
        assertThat(o.upstreamRequestId()).isEqualTo("0J-HaJetAqv0jrEPwu-tsQ0");
    }

    @Test
    void aStreamWhoseCandidatesCountArrivesOnlyAtTheEnd() {
        Observation o = sameForEverySplit(sse("gemini-2.0-flash", "gemini_generate_request.json", "gemini_stream_short.sse"));
        // chunks 1–2 carry only promptTokenCount 7; chunk 3 adds candidatesTokenCount 10
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(7).outputTokens(10).build());
        assertThat(o.upstreamRequestId()).isNull();
    }

    @Test
    void imageStreamRepeatsCumulativeUsageAfterTheImage() {
        Observation o = sameForEverySplit(sse("gemini-2.0-flash-preview-image-generation", "gemini_image_request.json",
                "gemini_image_stream.sse"));
        // candidates 1 → 17 → 28 → 1318 → 1318: last wins; IMAGE 1290 ⊂ 1318
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(15).outputTokens(1318).outputImageTokens(1290).build());
        assertThat(o.modality()).isEqualTo(Modality.IMAGE);
    }

    @Test
    void aBlockedPromptCountsItsInputAsAnEstimate() {
        Observation o = sameForEverySplit(sse("gemini-2.0-flash", "gemini_stream_request.json",
                "gemini_stream_prompt_blocked.sse"));
        // no usageMetadata; request text "Why is the sky blue? Answer in two sentences." = 45 chars
        // → ceil(45 / 4) = 12 input tokens, estimated; nothing generated
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(12).estimated(true).build());
        assertThat(o.errorMessage()).isEqualTo("prompt blocked: SAFETY");
        assertThat(o.incomplete()).isFalse();
    }

    @Test
    void aRawErrorObjectMidStreamIsTheErrorAndTheRowIsEstimated() {
        // LF-framed (the Vertex mock): two data events without usage, then a pretty-printed error
        Observation o = sameForEverySplit(sse("gemini-2.0-flash", "gemini_stream_request.json",
                "gemini_stream_midstream_error_vertex.txt"));
        assertThat(o.errorMessage()).isEqualTo("The operation was cancelled.");
        assertThat(o.incomplete()).isTrue();
        // no usage anywhere: input ≈ ceil(45 request chars / 4) = 12;
        // output ≈ ceil(("First " 6 + "Second " 7 = 13 chars) / 4) = 4
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(12).outputTokens(4).estimated(true).build());
    }

    @Test
    void aStreamCutByTheClientKeepsTheLastUsageSeenAsALowerBound() {
        byte[] stream = resource(F + "gemini_stream.sse");
        int thirdEvent = nth(stream, "data:", 3);
        Observation o = sameForEverySplit(sse("gemini-2.5-flash", "gemini_stream_request.json", "gemini_stream.sse")
                .cutAfter(thirdEvent, Ending.CLIENT_ABORTED));
        // two events arrived; the second's cumulative usage: prompt 10, thoughts 318, no candidates yet
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(10).outputTokens(318).reasoningTokens(318)
                .estimated(true).build());
        assertThat(o.incomplete()).isTrue();
        assertThat(o.upstreamRequestId()).isEqualTo("0J-HaJetAqv0jrEPwu-tsQ0");
    }

    @Test
    void aStreamCutInsideItsFirstUsageObjectIsEstimatedFromTheRequest() {
        byte[] stream = resource(F + "gemini_stream.sse");
        int insideUsage = indexOf(stream, "\"totalTokenCount\": 80", 0);
        Observation o = sameForEverySplit(sse("gemini-2.5-flash", "gemini_stream_request.json", "gemini_stream.sse")
                .cutAfter(insideUsage, Ending.UPSTREAM_FAILED));
        // the first usageMetadata never closed, so none counts. input ≈ ceil(45 / 4) = 12;
        // output ≈ the first thought's text, read whole before the cut
        long thoughtChars = firstText(stream).codePointCount(0, firstText(stream).length());
        assertThat(thoughtChars).isEqualTo(356);
        // ceil(356 / 4) = 89
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(12).outputTokens(89).estimated(true).build());
        assertThat(o.incomplete()).isTrue();
        assertThat(o.model()).isEqualTo("gemini-2.5-flash"); // modelVersion not reached: the path's model
    }

    @Test
    void aUnaryImageCutMidImageEstimatesTheImageTokens() {
        byte[] body = resource(F + "gemini_image.json");
        int midImage = indexOf(body, "truncated", 0);
        Observation o = sameForEverySplit(unary("gemini-2.0-flash-preview-image-generation", "gemini_image_request.json",
                "gemini_image.json").cutAfter(midImage, Ending.CLIENT_ABORTED));
        // input ≈ ceil(72 request chars / 4) = 18; output ≈ ceil(145 text chars / 4) = 37
        // + one image part started × 1290 = 1327, of which 1290 image tokens
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(18).outputTokens(1327).outputImageTokens(1290)
                .estimated(true).build());
        assertThat(o.incomplete()).isTrue();
    }

    @Test
    void aStreamThatEndsWithoutAFinishReasonIsIncomplete() {
        byte[] stream = resource(F + "gemini_stream.sse");
        int lastEvent = nth(stream, "data:", 5);
        // the upstream closed cleanly after four events: counts up to the fourth, flagged incomplete
        Observation o = sameForEverySplit(new ExchangeHarness(adapter)
                .request("POST", "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")
                .requestBody(resource(F + "gemini_stream_request.json"))
                .responseHeader("content-type", "text/event-stream")
                .response(200, java.util.Arrays.copyOf(stream, lastEvent)));
        // fourth event: prompt 10, candidates 22, thoughts 540 → output 562
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(10).outputTokens(562).reasoningTokens(540)
                .estimated(true).build());
        assertThat(o.incomplete()).isTrue();
    }

    @Test
    void errorResponsesGiveTheMessageAndNoUsage() {
        Observation badKey = sameForEverySplit(unary("gemini-2.5-flash", "gemini_generate_request.json",
                "gemini_error_api_key.json").response(400, resource(F + "gemini_error_api_key.json")));
        assertThat(badKey.errorMessage()).isEqualTo("API key not valid. Please pass a valid API key.");
        assertThat(badKey.usage()).isEqualTo(Usage.NONE);
        assertThat(badKey.incomplete()).isFalse();
        assertThat(badKey.model()).isEqualTo("gemini-2.5-flash");

        // a stream request that fails before streaming gets a JSON error, not SSE
        Observation quota = sameForEverySplit(sse("gemini-2.5-flash", "gemini_stream_request.json", "gemini_error_429.json")
                .responseHeader("content-type", "application/json; charset=UTF-8")
                .response(429, resource(F + "gemini_error_429.json")));
        assertThat(quota.errorMessage())
                .isEqualTo("You exceeded your current quota, please check your plan and billing details.");
        assertThat(quota.usage()).isEqualTo(Usage.NONE);
        assertThat(quota.streamed()).isTrue();
    }

    @Test
    void anExchangeWithoutAResponseRecordsNothingConsumed() {
        ExchangeHarness h = unary("gemini-2.5-flash", "gemini_generate_request.json", "gemini_generate.json");
        Observation rejected = h.ending(Ending.REJECTED).run().observation();
        assertThat(rejected.usage()).isEqualTo(Usage.NONE);
        assertThat(rejected.incomplete()).isFalse();
        Observation unreachable = h.ending(Ending.UPSTREAM_FAILED).run().observation();
        assertThat(unreachable.usage()).isEqualTo(Usage.NONE);
        assertThat(unreachable.incomplete()).isTrue();
    }

    @Test
    void aTwentyMegabyteInlineImageParsesWithBoundedHeap() {
        byte[] body = bigImageResponse(20_000_000);
        Exchange ex = adapter.begin(new RequestInfo("POST", "/v1beta/models/gemini-2.5-flash-image:generateContent",
                Map.of(), HeaderView.EMPTY, -1));
        ex.requestBody(ByteBuffer.wrap(resource(F + "gemini_image_request.json")));
        ex.requestEnd();
        ex.responseHead(200, HeaderView.of(Map.of("content-type", "application/json")));
        long before = ObservationSplits.usedHeap();
        for (int i = 0; i < body.length; i += 16_384) {
            ex.responseBody(ByteBuffer.wrap(body, i, Math.min(16_384, body.length - i)));
        }
        ex.responseEnd();
        long grown = ObservationSplits.usedHeap() - before;
        Observation o = ex.finish(Ending.COMPLETE);
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(14).outputTokens(1290).outputImageTokens(1290).build());
        assertThat(grown).isLessThan(8L * 1024 * 1024);
    }

    @Test
    void aTwentyMegabyteInlineImageInTheRequestIsReadWithBoundedHeap() {
        // an image edit: the prompt's text is counted, the 20 MB of inline base64 is cut, not held
        byte[] request = ("{\"contents\":[{\"parts\":[{\"text\":\"Make it blue\"},{\"inlineData\":{\"mimeType\":\"image/png\","
                + "\"data\":\"" + "iVBO".repeat(5_000_000) + "\"}}]}]}").getBytes(StandardCharsets.US_ASCII);
        Exchange ex = adapter.begin(new RequestInfo("POST", "/v1beta/models/gemini-2.5-flash-image:generateContent",
                Map.of(), HeaderView.EMPTY, request.length));
        long before = ObservationSplits.usedHeap();
        for (int i = 0; i < request.length; i += 16_384) {
            ex.requestBody(ByteBuffer.wrap(request, i, Math.min(16_384, request.length - i)));
        }
        ex.requestEnd();
        long grown = ObservationSplits.usedHeap() - before;
        ex.responseHead(200, HeaderView.of(Map.of("content-type", "application/json")));
        Observation o = ex.finish(Ending.CLIENT_ABORTED);
        assertThat(grown).isLessThan(8L * 1024 * 1024);
        // cut before any usage: input ≈ ceil("Make it blue" 12 chars / 4) = 3; the image data is not text
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(3).estimated(true).build());
    }

    /** A unary image response whose base64 data is {@code size} bytes, usage after it. */
    private static byte[] bigImageResponse(int size) {
        StringBuilder b = new StringBuilder(size + 512)
                .append("{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"");
        for (int i = 0; i < size / 4; i++) {
            b.append("iVBO");
        }
        b.append("\"}}],\"role\":\"model\"},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":14,")
                .append("\"candidatesTokenCount\":1290,\"candidatesTokensDetails\":[{\"modality\":\"IMAGE\",\"tokenCount\":1290}]},")
                .append("\"modelVersion\":\"gemini-2.5-flash-image\"}");
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static int indexOf(byte[] haystack, String needle, int from) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = from; i <= haystack.length - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found: " + needle);
    }

    /** Where the n-th (1-based) occurrence of {@code needle} starts. */
    static int nth(byte[] haystack, String needle, int n) {
        int at = -1;
        for (int k = 0; k < n; k++) {
            at = indexOf(haystack, needle, at + 1);
        }
        return at;
    }

    /** The first candidate text of the stream, decoded by a JSON parser (test-side, for the count). */
    private static String firstText(byte[] stream) {
        int start = indexOf(stream, "data: ", 0) + 6;
        int end = indexOf(stream, "\r\n", start);
        try {
            var tree = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(new String(stream, start, end - start, StandardCharsets.UTF_8));
            return tree.at("/candidates/0/content/parts/0/text").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
