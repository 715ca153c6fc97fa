package dev.genledger.proxy.openai;

import static dev.genledger.proxy.openai.Observe.event;
import static dev.genledger.proxy.openai.Observe.firstEvents;
import static dev.genledger.proxy.openai.Observe.fixture;
import static dev.genledger.proxy.openai.Observe.openai;
import static dev.genledger.proxy.openai.Observe.text;
import static dev.genledger.proxy.provider.FixtureCosts.assertCost;
import static dev.genledger.proxy.provider.FixtureCosts.assertUnpriced;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.pricing.Cost;
import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.ExchangeHarness;
import dev.genledger.proxy.provider.FixtureCosts;
import dev.genledger.proxy.provider.Observation;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Every OpenAI fixture of a billable generation through the adapter and the bundled catalog, on
 * 2026-11-01, with the expected cost worked out by hand (issue 5). Rates are the catalog's, in US
 * dollars per 1,000,000 tokens unless stated. The header fixtures are used with the bodies they
 * belong to; there is no OpenAI control-call fixture to skip.
 */
class OpenAiFixtureCostTest {
    private static final FixtureCosts COSTS = new FixtureCosts("openai");

    private static Observation run(ExchangeHarness h) {
        return h.run().observation();
    }

    private static ExchangeHarness post(String path, String request) {
        return openai().request("POST", path).requestBody(request);
    }

    private static ExchangeHarness json(ExchangeHarness h, String body) {
        return h.response(200, body).responseHeader("content-type", "application/json");
    }

    private static ExchangeHarness events(ExchangeHarness h, String body) {
        return h.response(200, body).responseHeader("content-type", "text/event-stream");
    }

    private static ExchangeHarness form(String path, Form form) {
        return openai().request("POST", path).requestHeader("content-type", Form.contentType()).requestBody(form.bytes());
    }

    // ------------------------------------------------------------------ chat completions

    @Test
    void chatCompletionIsPricedAtTheResponseModelsTokenRates() {
        Observation o = run(post("/v1/chat/completions", text("openai_chat_request.json"))
                .response(200, fixture("openai_chat.json")).responseHeaders(text("openai_response_headers.txt")));

        // gpt-5.4, service_tier "default" (standard rates): 19 in × $2.50 = 0.0000475; 10 out × $15 = 0.00015;
        // total 0.0001975
        assertCost(COSTS.of(o), "openai/gpt-5.4@2026-07-24", "0.0001975", "0.0000475", "0.00015", "0");
    }

    @Test
    void chatStreamIsPricedFromItsUsageChunk() {
        Observation o = run(events(post("/v1/chat/completions", text("openai_chat_stream_request.json")),
                text("openai_chat_stream.sse")));

        // gpt-3.5-turbo-0125 → gpt-3.5-turbo: 10 in × $0.50 = 0.000005; 5 out × $1.50 = 0.0000075; total 0.0000125
        assertCost(COSTS.of(o), "openai/gpt-3.5-turbo@2024-01-25", "0.0000125", "0.000005", "0.0000075", "0");
    }

    @Test
    void chatStreamWithoutUsageAndNoInjectionIsPricedFromTheEstimate() {
        Observation o = run(openai(false).request("POST", "/v1/chat/completions")
                // what a client that did not ask for usage sends (the fixture stream is what it receives)
                .requestBody("{\"model\":\"gpt-3.5-turbo-0125\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}],"
                        + "\"stream\":true}")
                .response(200, fixture("openai_chat_stream_no_usage.sse"))
                .responseHeader("content-type", "text/event-stream"));

        assertThat(o.usage().estimated()).isTrue();
        // estimate: "Say hi" 6 bytes → 2 in; 6 content deltas → 6 out.
        // gpt-3.5-turbo: 2 × $0.50 = 0.000001; 6 × $1.50 = 0.000009; total 0.00001
        assertCost(COSTS.of(o), "openai/gpt-3.5-turbo@2024-01-25", "0.00001", "0.000001", "0.000009", "0");
    }

    @Test
    void chatErrorsCountNothing() {
        for (String[] e : new String[][] {{"400", "openai_error_400.json"}, {"429", "openai_error_429.json"}}) {
            Observation o = run(post("/v1/chat/completions", text("openai_chat_request.json"))
                    .response(Integer.parseInt(e[0]), fixture(e[1])).responseHeader("content-type", "application/json"));
            // an error with empty usage is recorded free by the proxy and the ledger
            assertThat(o.usage().isEmpty()).as(e[1]).isTrue();
            assertThat(o.errorMessage()).as(e[1]).isNotBlank();
        }
    }

    // ------------------------------------------------------------------ responses

    @Test
    void responseIsPricedAtItsModelsTokenRates() {
        Observation o = run(json(post("/v1/responses", text("openai_responses_request.json")),
                text("openai_responses.json")));

        // gpt-5.4: 36 in × $2.50 = 0.00009; 87 out × $15 = 0.001305; total 0.001395
        assertCost(COSTS.of(o), "openai/gpt-5.4@2026-07-24", "0.001395", "0.00009", "0.001305", "0");
    }

    @Test
    void reasoningResponseOfO1IsUnpriced() {
        Observation o = run(json(post("/v1/responses", "{\"model\":\"o1\",\"input\":\"tongue twister\"}"),
                text("openai_responses_reasoning.json")));

        // o1-2024-12-17 → o1: the catalog has no o1 entry (81 in, 1035 out ⊇ 832 reasoning would be billed)
        assertThat(o.model()).isEqualTo("o1-2024-12-17");
        assertThat(o.usage().outputTokens()).isEqualTo(1035);
        assertUnpriced(COSTS.of(o));
    }

    @Test
    void responseStreamIsPricedFromItsCompletedEvent() {
        Observation o = run(events(post("/v1/responses", text("openai_responses_stream_request.json")),
                text("openai_responses_stream.sse")));

        // gpt-3.5-turbo-0125 → gpt-3.5-turbo: 13 in × $0.50 = 0.0000065; 12 out × $1.50 = 0.000018; total 0.0000245
        assertCost(COSTS.of(o), "openai/gpt-3.5-turbo@2024-01-25", "0.0000245", "0.0000065", "0.000018", "0");
    }

    @Test
    void responseStreamEndingIncompleteWithoutUsageIsPricedFromTheEstimate() {
        String sse = firstEvents(text("openai_responses_stream.sse"), 6)
                + event("response.incomplete", text("openai_responses_incomplete_event.json"));
        Observation o = run(events(post("/v1/responses", text("openai_responses_stream_request.json")), sse));

        // estimate: "Say some greetings" 18 bytes → 5 in; 2 text deltas → 2 out.
        // gpt-4o-mini-2024-07-18 → gpt-4o-mini: 5 × $0.15 = 0.00000075; 2 × $0.60 = 0.0000012; total 0.00000195
        assertCost(COSTS.of(o), "openai/gpt-4o-mini@2024-07-18", "0.00000195", "0.00000075", "0.0000012", "0");
    }

    @Test
    void responseStreamEndingFailedIsPricedOnItsEstimatedInput() {
        String sse = firstEvents(text("openai_responses_stream.sse"), 2)
                + event("response.failed", text("openai_responses_failed_event.json"));
        Observation o = run(events(post("/v1/responses", text("openai_responses_stream_request.json")), sse));

        // HTTP 200, so not an error row; estimate: 5 in, no output delta seen.
        // gpt-4o-mini: 5 × $0.15 = 0.00000075
        assertThat(o.errorMessage()).isEqualTo("The model failed to generate a response.");
        assertCost(COSTS.of(o), "openai/gpt-4o-mini@2024-07-18", "0.00000075", "0.00000075", "0", "0");
    }

    @Test
    void backgroundResponseIsUnpricedUntilTheRetrievalThatSeesItCompleted() {
        Observation created = run(json(post("/v1/responses", text("openai_responses_background_request.json")),
                text("openai_responses_background_queued.json")));
        // a pending row: written unpriced, with no usage yet
        assertThat(created.job()).isInstanceOf(AsyncJob.Started.class);
        assertThat(created.usage().isEmpty()).isTrue();

        Observation poll = run(json(openai().request("GET", "/v1/responses/resp_68b9a1c2d3e4f5a6b7c8d9e0f1a2b3c4"),
                text("openai_responses_background_completed.json")));
        AsyncJob.Finished done = (AsyncJob.Finished) poll.job();
        assertThat(done.jobId()).isEqualTo(((AsyncJob.Started) created.job()).jobId());
        Cost cost = COSTS.finalised(created, done);

        // o3-2025-04-16 → o3, the 2025-06-10 price: 120 in × $2 = 0.00024; 2480 out (⊇ 2048 reasoning) × $8 = 0.01984;
        // total 0.02008
        assertCost(cost, "openai/o3@2025-06-10", "0.02008", "0.00024", "0.01984", "0");
    }

    // ------------------------------------------------------------------ embeddings

    @Test
    void embeddingIsPricedOnItsPromptTokens() {
        Observation o = run(post("/v1/embeddings", text("openai_embeddings_request.json"))
                .response(200, fixture("openai_embeddings.json")).responseHeaders(text("openai_response_headers_full.txt")));

        // text-embedding-3-small: 8 in × $0.02 = 0.00000016
        assertCost(COSTS.of(o), "openai/text-embedding-3-small@2024-01-25", "0.00000016", "0.00000016", "0", "0");
    }

    // ------------------------------------------------------------------ images

    @Test
    void gptImageGenerationIsPricedOnTextInAndImageOutTokens() {
        Observation o = run(json(post("/v1/images/generations", text("openai_image_gpt-image-1_request.json")),
                text("openai_image_gpt-image-1.json")));

        // gpt-image-1: 16 text in × $5 = 0.00008; 1056 image out × $40 = 0.04224; total 0.04232
        // (the image count is not billed again: gpt-image-1 has no per-image price)
        assertCost(COSTS.of(o), "openai/gpt-image-1@2025-04-23", "0.04232", "0.00008", "0.04224", "0");
    }

    @Test
    void gptImageSpecExampleSplitsTextAndImageInputTokens() {
        Observation o = run(json(post("/v1/images/generations", "{\"model\":\"gpt-image-1\",\"prompt\":\"otter\"}"),
                text("openai_image_spec_example.json")));

        // in 50 = text 10 × $5 = 0.00005 + image 40 × $10 = 0.0004 → 0.00045;
        // out 50 image × $40 = 0.002; total 0.00245
        assertCost(COSTS.of(o), "openai/gpt-image-1@2025-04-23", "0.00245", "0.00045", "0.002", "0");
    }

    @Test
    void gptImageStreamIsPricedFromItsCompletedEvent() {
        Observation o = run(events(post("/v1/images/generations",
                "{\"model\":\"gpt-image-1\",\"prompt\":\"otter\",\"stream\":true,\"partial_images\":1}"),
                text("openai_image_stream.sse")));

        // image_generation.completed: text 10 × $5 = 0.00005 + image 40 × $10 = 0.0004 → in 0.00045;
        // 50 image out × $40 = 0.002; total 0.00245
        assertCost(COSTS.of(o), "openai/gpt-image-1@2025-04-23", "0.00245", "0.00045", "0.002", "0");
    }

    @Test
    void gptImageEditIsPricedWithItsImageInputTokens() {
        Form form = new Form().file("image[]", "otter.png", "image/png", png(300_000))
                .field("prompt", "Put the hat on the otter").field("model", "gpt-image-1").field("quality", "high");
        Observation o = run(json(form("/v1/images/edits", form), text("openai_image_edit_gpt-image-1.json")));

        // in 2265 = text 21 × $5 = 0.000105 + image 2244 × $10 = 0.02244 → 0.022545;
        // out 4160 (no details: all image) × $40 = 0.1664; total 0.188945
        assertCost(COSTS.of(o), "openai/gpt-image-1@2025-04-23", "0.188945", "0.022545", "0.1664", "0");
    }

    @Test
    void gptImageEditStreamIsPricedFromItsCompletedEvent() {
        Form form = new Form().file("image", "otter.png", "image/png", png(50_000))
                .field("model", "gpt-image-1").field("prompt", "hat").field("stream", "true");
        Observation o = run(events(form("/v1/images/edits", form), text("openai_image_edit_stream.sse")));

        // image_edit.completed: in 10 × $5 + 40 × $10 = 0.00045; out 50 × $40 = 0.002; total 0.00245
        assertCost(COSTS.of(o), "openai/gpt-image-1@2025-04-23", "0.00245", "0.00045", "0.002", "0");
    }

    @Test
    void dallE3IsPricedPerImageAtTheRequestsSizeAndQuality() {
        Observation o = run(json(post("/v1/images/generations", text("openai_image_dall-e-3_request.json")),
                text("openai_image_dall-e-3.json")));

        // no usage in the response: 1 image × hd 1024x1792 $0.12 = 0.12
        assertCost(COSTS.of(o), "openai/dall-e-3@2023-11-06", "0.12", "0", "0", "0.12");
    }

    // ------------------------------------------------------------------ speech

    @Test
    void tts1IsPricedPerCharacterOfItsInput() {
        Observation o = run(post("/v1/audio/speech", text("openai_speech_tts-1_request.json"))
                .response(200, OpenAiSpeechTest.threeSecondsOfMp3()).responseHeaders(text("openai_speech_headers.txt")));

        // "The quick brown fox jumped over the lazy dog." = 45 characters × $15/1M characters = 0.000675
        assertCost(COSTS.of(o), "openai/tts-1@2023-11-06", "0.000675", "0", "0", "0.000675");
    }

    @Test
    void gpt4oMiniTtsSseStreamIsPricedFromItsDoneEvent() {
        Observation o = run(events(post("/v1/audio/speech", text("openai_speech_sse_request.json")),
                text("openai_speech_stream.sse")));

        // speech.audio.done: 14 text in × $0.60 = 0.0000084; 101 audio out × $12 = 0.001212; total 0.0012204
        assertCost(COSTS.of(o), "openai/gpt-4o-mini-tts@2025-03-20", "0.0012204", "0.0000084", "0.001212", "0");
    }

    @Test
    void gpt4oMiniTtsBinaryAudioIsPricedFromTheEstimate() {
        Observation o = run(post("/v1/audio/speech", text("openai_speech_request.json"))
                .response(200, OpenAiSpeechTest.threeSecondsOfMp3()).responseHeaders(text("openai_speech_headers.txt")));

        assertThat(o.usage().estimated()).isTrue();
        // estimate: 45 characters → 12 in; 3 s of MP3 × 1250 tokens/min → 63 audio out.
        // 12 × $0.60 = 0.0000072; 63 × $12 = 0.000756; total 0.0007632
        assertCost(COSTS.of(o), "openai/gpt-4o-mini-tts@2025-03-20", "0.0007632", "0.0000072", "0.000756", "0");
    }

    // ------------------------------------------------------------------ transcription

    private static ExchangeHarness transcribe(Form form, String body, String contentType) {
        return form("/v1/audio/transcriptions", form).response(200, body).responseHeader("content-type", contentType);
    }

    private static Form upload(String model) {
        return new Form().file("file", "speech.mp3", "audio/mpeg", OpenAiSpeechTest.threeSecondsOfMp3()).field("model", model);
    }

    @Test
    void whisperIsPricedOnTheBilledSeconds() {
        Observation verbose = run(transcribe(upload("whisper-1").field("response_format", "verbose_json"),
                text("openai_transcription_whisper_verbose.json"), "application/json"));
        Observation json = run(transcribe(upload("whisper-1"), text("openai_transcription_whisper_json.json"),
                "application/json"));

        // usage.seconds 9 (verbose: duration 8.47 rounded up) × $0.006/min = 9 × 0.006 / 60 = 0.0009
        assertCost(COSTS.of(verbose), "openai/whisper-1@2023-03-01", "0.0009", "0", "0", "0.0009");
        assertCost(COSTS.of(json), "openai/whisper-1@2023-03-01", "0.0009", "0", "0", "0.0009");
    }

    @Test
    void whisperPlainTextAndSrtHaveNoUsageAndAreUnpriced() {
        for (String[] c : new String[][] {{"text", "openai_transcription_whisper.txt"},
                {"srt", "openai_transcription_whisper.srt"}}) {
            Observation o = run(transcribe(upload("whisper-1").field("response_format", c[0]), text(c[1]),
                    "text/plain; charset=utf-8"));
            // no usage in a plain-text body and the upload is not decoded: nothing to price
            assertThat(o.usage().isEmpty()).as(c[0]).isTrue();
            assertUnpriced(COSTS.of(o));
        }
    }

    @Test
    void diarizeModelIsUnpriced() {
        Observation o = run(transcribe(upload("gpt-4o-transcribe-diarize").field("response_format", "diarized_json"),
                text("openai_transcription_diarize.json"), "application/json"));

        // usage.seconds 27, but the catalog has no gpt-4o-transcribe-diarize entry
        assertThat(o.usage().mediaSeconds()).isEqualByComparingTo("27");
        assertUnpriced(COSTS.of(o));
    }

    @Test
    void gpt4oTranscribeIsPricedOnAudioInAndTextOutTokens() {
        Observation o = run(transcribe(upload("gpt-4o-transcribe"), text("openai_transcription_gpt-4o-transcribe.json"),
                "application/json"));

        // 14 audio in × $6 = 0.000084; 45 text out × $10 = 0.00045; total 0.000534
        assertCost(COSTS.of(o), "openai/gpt-4o-transcribe@2025-03-20", "0.000534", "0.000084", "0.00045", "0");
    }

    @Test
    void transcriptionStreamIsPricedFromItsDoneEvent() {
        Observation o = run(transcribe(upload("gpt-4o-mini-transcribe").field("stream", "true"),
                text("openai_transcription_stream.sse"), "text/event-stream"));

        // gpt-4o-mini-transcribe: 14 audio in × $3 = 0.000042; 45 out × $5 = 0.000225; total 0.000267
        assertCost(COSTS.of(o), "openai/gpt-4o-mini-transcribe@2025-03-20", "0.000267", "0.000042", "0.000225", "0");
    }

    /** A PNG-looking upload: the adapter only skips over it. */
    private static byte[] png(int bytes) {
        byte[] b = new byte[bytes];
        Arrays.fill(b, (byte) 0x5A);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, 0, b, 0, 8);
        return b;
    }
}
