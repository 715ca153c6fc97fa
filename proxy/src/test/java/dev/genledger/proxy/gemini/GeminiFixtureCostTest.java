package dev.genledger.proxy.gemini;

import static dev.genledger.proxy.provider.ExchangeHarness.resource;
import static dev.genledger.proxy.provider.ExchangeHarness.text;
import static dev.genledger.proxy.provider.FixtureCosts.assertCost;
import static dev.genledger.proxy.provider.FixtureCosts.assertUnpriced;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.pricing.Usage;
import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.ExchangeHarness;
import dev.genledger.proxy.provider.FixtureCosts;
import dev.genledger.proxy.provider.Observation;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * Every Gemini API fixture of a billable generation through the adapter and the bundled catalog,
 * on 2026-11-01, with the expected cost worked out by hand (issue 5). Token rates are US dollars
 * per 1,000,000 tokens. Skipped: {@code gemini_count_tokens.json} (countTokens is a control call,
 * never billed) and {@code gemini_veo_operation_pending.json} (a poll that finalises nothing).
 */
class GeminiFixtureCostTest {
    private static final String F = "fixtures/gemini/";
    private static final String VEO_PATH = "/v1beta/models/veo-3.1-generate-preview:predictLongRunning";
    private static final String VEO_OPERATION = "/v1beta/models/veo-3.1-generate-preview/operations/abc123xyz";
    private static final FixtureCosts COSTS = new FixtureCosts("gemini");

    private final GeminiAdapter adapter = new GeminiAdapter();

    /** The recorded response headers: the unary block, then the stream block of gemini_headers.txt. */
    private static String headers(boolean stream) {
        String[] blocks = text(F + "gemini_headers.txt").split("\\R\\R");
        return blocks[stream ? 1 : 0];
    }

    private static Observation run(ExchangeHarness h) {
        return h.run().observation();
    }

    private ExchangeHarness unary(String model, String request, String response) {
        return new ExchangeHarness(adapter).request("POST", "/v1beta/models/" + model + ":generateContent")
                .requestHeader("content-type", "application/json").requestBody(resource(F + request))
                .responseHeaders(headers(false)).response(200, resource(F + response));
    }

    private ExchangeHarness sse(String model, String request, String response) {
        return new ExchangeHarness(adapter).request("POST", "/v1beta/models/" + model + ":streamGenerateContent?alt=sse")
                .requestHeader("content-type", "application/json").requestBody(resource(F + request))
                .responseHeaders(headers(true)).response(200, resource(F + response));
    }

    private ExchangeHarness post(String path, String request, String response) {
        return new ExchangeHarness(adapter).request("POST", path).requestBody(resource(F + request))
                .responseHeader("content-type", "application/json; charset=UTF-8").response(200, resource(F + response));
    }

    private Observation poll(String response) {
        return run(new ExchangeHarness(adapter).request("GET", VEO_OPERATION)
                .responseHeader("content-type", "application/json; charset=UTF-8").response(200, resource(F + response)));
    }

    // ------------------------------------------------------------------ generateContent

    @Test
    void basicReplyIsPricedOnPromptAndCandidates() {
        Observation o = run(unary("gemini-2.0-flash", "gemini_generate_request.json", "gemini_generate.json"));

        // gemini-2.0-flash: 7 in × $0.10 = 0.0000007; 22 out × $0.40 = 0.0000088; total 0.0000095
        assertCost(COSTS.of(o), "gemini/gemini-2.0-flash@2025-02-05", "0.0000095", "0.0000007", "0.0000088", "0");
    }

    @Test
    void thoughtsArePricedAsOutput() {
        Observation o = run(unary("gemini-2.5-flash", "gemini_generate_request.json", "gemini_generate_thinking.json"));

        // gemini-2.5-flash: 14 in × $0.30 = 0.0000042; (2 candidates + 24 thoughts) 26 out × $2.50 = 0.000065;
        // total 0.0000692
        assertCost(COSTS.of(o), "gemini/gemini-2.5-flash@2025-06-17", "0.0000692", "0.0000042", "0.000065", "0");
    }

    @Test
    void maxTokensReplyWithOnlyThoughtsIsPricedOnTheThoughts() {
        Observation o = run(unary("gemini-2.5-flash", "gemini_generate_request.json",
                "gemini_generate_max_tokens_thoughts_only.json"));

        // 7 in × $0.30 = 0.0000021; (no candidates + 19 thoughts) 19 out × $2.50 = 0.0000475; total 0.0000496
        assertCost(COSTS.of(o), "gemini/gemini-2.5-flash@2025-06-17", "0.0000496", "0.0000021", "0.0000475", "0");
    }

    @Test
    void toolUsePromptTokensArePricedAsInput() {
        Observation o = run(unary("gemini-2.5-flash", "gemini_generate_request.json",
                "gemini_generate_tooluse_url_context.json"));

        // (15 prompt + 424 tool-use prompt) 439 in × $0.30 = 0.0001317;
        // (102 candidates + 142 thoughts) 244 out × $2.50 = 0.00061; total 0.0007417
        assertCost(COSTS.of(o), "gemini/gemini-2.5-flash@2025-06-17", "0.0007417", "0.0001317", "0.00061", "0");
    }

    @Test
    void implicitlyCachedTokensArePricedAtTheCachedRate() {
        Observation o = run(unary("gemini-2.5-flash", "gemini_generate_request.json",
                "gemini_generate_implicit_cache_vertex.json"));

        // in: (12013 − 11243 cached) 770 × $0.30 = 0.000231 + 11243 cached × $0.03 = 0.00033729 → 0.00056829;
        // out: (15 + 73 thoughts) 88 × $2.50 = 0.00022; total 0.00078829
        assertCost(COSTS.of(o), "gemini/gemini-2.5-flash@2025-06-17", "0.00078829", "0.00056829", "0.00022", "0");
    }

    @Test
    void audioInputTokensArePricedAtTheAudioRate() {
        Observation o = run(unary("gemini-2.5-flash", "gemini_generate_request.json", "gemini_generate_audio_input.json"));

        // in: 20 text × $0.30 = 0.000006 + 250 audio × $1.00 = 0.00025 → 0.000256; out 11 × $2.50 = 0.0000275;
        // total 0.0002835
        assertCost(COSTS.of(o), "gemini/gemini-2.5-flash@2025-06-17", "0.0002835", "0.000256", "0.0000275", "0");
    }

    // ------------------------------------------------------------------ streams

    @Test
    void sseStreamIsPricedOnItsLastCumulativeUsage() {
        Observation o = run(sse("gemini-2.5-flash", "gemini_stream_request.json", "gemini_stream.sse"));

        // last chunk: 10 in × $0.30 = 0.000003; (48 candidates + 540 thoughts) 588 out × $2.50 = 0.00147;
        // total 0.001473
        assertCost(COSTS.of(o), "gemini/gemini-2.5-flash@2025-06-17", "0.001473", "0.000003", "0.00147", "0");
    }

    @Test
    void jsonArrayStreamIsPricedLikeTheSseStream() {
        Observation o = run(new ExchangeHarness(adapter)
                .request("POST", "/v1beta/models/gemini-2.5-flash:streamGenerateContent")
                .requestBody(resource(F + "gemini_stream_request.json"))
                .responseHeader("content-type", "application/json; charset=UTF-8")
                .response(200, resource(F + "gemini_stream_array.json")));

        // the same five objects: 10 in × $0.30 = 0.000003; 588 out × $2.50 = 0.00147; total 0.001473
        assertCost(COSTS.of(o), "gemini/gemini-2.5-flash@2025-06-17", "0.001473", "0.000003", "0.00147", "0");
    }

    @Test
    void shortStreamIsPricedOnItsFinalCandidatesCount() {
        Observation o = run(sse("gemini-2.0-flash", "gemini_generate_request.json", "gemini_stream_short.sse"));

        // gemini-2.0-flash: 7 in × $0.10 = 0.0000007; 10 out × $0.40 = 0.000004; total 0.0000047
        assertCost(COSTS.of(o), "gemini/gemini-2.0-flash@2025-02-05", "0.0000047", "0.0000007", "0.000004", "0");
    }

    @Test
    void blockedPromptIsPricedOnItsEstimatedInput() {
        Observation o = run(sse("gemini-2.0-flash", "gemini_stream_request.json", "gemini_stream_prompt_blocked.sse"));

        // HTTP 200 with promptFeedback.blockReason and no usage: 45 request chars → 12 in (estimated), nothing out.
        // 12 × $0.10 = 0.0000012
        assertThat(o.usage().estimated()).isTrue();
        assertCost(COSTS.of(o), "gemini/gemini-2.0-flash@2025-02-05", "0.0000012", "0.0000012", "0", "0");
    }

    @Test
    void streamBrokenByAnErrorObjectIsPricedOnItsEstimate() {
        Observation o = run(sse("gemini-2.0-flash", "gemini_stream_request.json", "gemini_stream_midstream_error_vertex.txt"));

        // no usage anywhere: 12 in (45 request chars / 4), 4 out (13 text chars / 4), estimated.
        // 12 × $0.10 = 0.0000012; 4 × $0.40 = 0.0000016; total 0.0000028
        assertThat(o.usage().estimated()).isTrue();
        assertCost(COSTS.of(o), "gemini/gemini-2.0-flash@2025-02-05", "0.0000028", "0.0000012", "0.0000016", "0");
    }

    // ------------------------------------------------------------------ images, speech

    @Test
    void flashImagePreviewGenerationIsUnpriced() {
        Observation unary = run(unary("gemini-2.0-flash-preview-image-generation", "gemini_image_request.json",
                "gemini_image.json"));
        Observation stream = run(sse("gemini-2.0-flash-preview-image-generation", "gemini_image_request.json",
                "gemini_image_stream.sse"));

        // 15 in, 1318 out ⊇ 1290 image tokens, but the catalog has no gemini-2.0-flash-preview-image-generation
        for (Observation o : new Observation[] {unary, stream}) {
            assertThat(o.usage().outputImageTokens()).isEqualTo(1290);
            assertUnpriced(COSTS.of(o));
        }
    }

    @Test
    void flashImageIsPricedOnItsImageTokens() {
        Observation o = run(unary("gemini-2.5-flash-image", "gemini_image_request.json",
                "gemini_image_2.5-flash-image.json"));

        // 14 in × $0.30 = 0.0000042; 1290 image out × $30 = 0.0387 ($0.039 a 1024² image); total 0.0387042
        assertCost(COSTS.of(o), "gemini/gemini-2.5-flash-image@2025-08-26", "0.0387042", "0.0000042", "0.0387", "0");
    }

    @Test
    void ttsIsPricedOnTextInAndAudioOutTokens() {
        Observation o = run(unary("gemini-2.5-flash-preview-tts", "gemini_tts_request.json", "gemini_tts.json"));

        // 8 text in × $0.50 = 0.000004; 48 audio out × $10 = 0.00048; total 0.000484
        assertCost(COSTS.of(o), "gemini/gemini-2.5-flash-preview-tts@2025-05-20", "0.000484", "0.000004", "0.00048", "0");
    }

    // ------------------------------------------------------------------ embeddings, Imagen

    @Test
    void embeddingsArePricedOnTokensEstimatedFromTheRequestText() {
        Observation one = run(post("/v1beta/models/gemini-embedding-001:embedContent", "gemini_embed_request.json",
                "gemini_embed.json"));
        Observation batch = run(post("/v1beta/models/gemini-embedding-001:batchEmbedContents",
                "gemini_batch_embed_request.json", "gemini_batch_embed.json"));

        assertThat(one.usage().estimated()).isTrue();
        assertThat(batch.usage().estimated()).isTrue();
        // "What is the meaning of life?" 28 chars → 7 in × $0.15 = 0.00000105
        assertCost(COSTS.of(one), "gemini/gemini-embedding-001@2025-07-14", "0.00000105", "0.00000105", "0", "0");
        // 28 + "How does the brain work?" 24 = 52 chars → 13 in × $0.15 = 0.00000195
        assertCost(COSTS.of(batch), "gemini/gemini-embedding-001@2025-07-14", "0.00000195", "0.00000195", "0", "0");
    }

    @Test
    void imagenIsPricedPerDeliveredImage() {
        Observation two = run(post("/v1beta/models/imagen-4.0-generate-001:predict", "gemini_imagen_predict_request.json",
                "gemini_imagen_predict.json"));
        Observation filtered = run(post("/v1beta/models/imagen-4.0-generate-001:predict",
                "gemini_imagen_predict_request.json", "gemini_imagen_predict_filtered.json"));

        // 2 images × $0.04 = 0.08
        assertCost(COSTS.of(two), "gemini/imagen-4.0-generate-001@2025-08-14", "0.08", "0", "0", "0.08");
        // 1 image delivered × $0.04 = 0.04 (the safety-filtered one is not billed)
        assertCost(COSTS.of(filtered), "gemini/imagen-4.0-generate-001@2025-08-14", "0.04", "0", "0", "0.04");
    }

    // ------------------------------------------------------------------ Veo

    @Test
    void veoCreateIsPendingAndItsDoneOperationPricesTheRequestedSeconds() {
        Observation create = run(post(VEO_PATH, "gemini_veo_create_request.json", "gemini_veo_create.json"));
        // written pending (unpriced until finalised), with the seconds asked for
        assertThat(create.job()).isEqualTo(new AsyncJob.Started("models/veo-3.1-generate-preview/operations/abc123xyz"));

        AsyncJob.Finished done = (AsyncJob.Finished) poll("gemini_veo_operation_done.json").job();
        assertThat(done.jobId()).isEqualTo(((AsyncJob.Started) create.job()).jobId());

        // "8" s × 1 of 1 requested video delivered = 8 s × $0.40 (720p) = 3.2
        assertCost(COSTS.finalised(create, done), "gemini/veo-3.1-generate-preview@2025-10-15", "3.2", "0", "0", "3.2");
    }

    @Test
    void veoCreateForTwo1080pVideosWithOneDeliveredPricesOneVideo() {
        Observation create = run(post(VEO_PATH, "gemini_veo_create_request_two_1080p.json", "gemini_veo_create.json"));
        AsyncJob.Finished done = (AsyncJob.Finished) poll("gemini_veo_operation_done.json").job();

        // 8 s × 2 videos = 16 s requested; the done operation has 1 sample: 16 × 1/2 = 8 s × $0.40 (1080p) = 3.2
        assertCost(COSTS.finalised(create, done), "gemini/veo-3.1-generate-preview@2025-10-15", "3.2", "0", "0", "3.2");
    }

    @Test
    void veoOperationsThatDeliverNoVideoLeaveNothingToPrice() {
        Observation create = run(post(VEO_PATH, "gemini_veo_create_request.json", "gemini_veo_create.json"));
        for (String response : new String[] {"gemini_veo_operation_filtered.json", "gemini_veo_operation_error.json"}) {
            AsyncJob.Finished done = (AsyncJob.Finished) poll(response).job();
            Usage merged = COSTS.finalUsage(create, done);
            // 8 s × 0 videos delivered = 0 s; a failed job with empty usage is finalised free by the ledger
            assertThat(done.error()).as(response).isNotNull();
            assertThat(merged.mediaSeconds()).as(response).isEqualByComparingTo(BigDecimal.ZERO);
            assertThat(merged.isEmpty()).as(response).isTrue();
        }
    }

    // ------------------------------------------------------------------ errors

    @Test
    void errorResponsesCountNothing() {
        Observation badKey = run(unary("gemini-2.5-flash", "gemini_generate_request.json", "gemini_error_api_key.json")
                .response(400, resource(F + "gemini_error_api_key.json")));
        Observation quota = run(sse("gemini-2.5-flash", "gemini_stream_request.json", "gemini_error_429.json")
                .responseHeader("content-type", "application/json; charset=UTF-8")
                .response(429, resource(F + "gemini_error_429.json")));

        // an error with empty usage is recorded free
        assertThat(badKey.usage().isEmpty()).isTrue();
        assertThat(badKey.errorMessage()).isNotBlank();
        assertThat(quota.usage().isEmpty()).isTrue();
        assertThat(quota.errorMessage()).isNotBlank();
    }
}
