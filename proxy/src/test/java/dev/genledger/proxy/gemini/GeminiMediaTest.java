package dev.genledger.proxy.gemini;

import static dev.genledger.proxy.provider.ExchangeHarness.resource;
import static dev.genledger.proxy.provider.ObservationSplits.sameForEverySplit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.ledger.Finalization;
import dev.genledger.ledger.Modality;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.ExchangeHarness;
import dev.genledger.proxy.provider.Observation;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Embeddings, token counts, Imagen and Veo (create and operation polls) through the Gemini adapter. */
class GeminiMediaTest {
    private static final String F = "fixtures/gemini/";
    private static final String VEO = "models/veo-3.1-generate-preview/operations/abc123xyz";
    private final GeminiAdapter adapter = new GeminiAdapter();

    private ExchangeHarness post(String path, String request, String response) {
        return new ExchangeHarness(adapter)
                .request("POST", path)
                .requestBody(resource(F + request))
                .responseHeader("content-type", "application/json; charset=UTF-8")
                .response(200, resource(F + response));
    }

    private ExchangeHarness get(String path, String response) {
        return new ExchangeHarness(adapter)
                .request("GET", path)
                .responseHeader("content-type", "application/json; charset=UTF-8")
                .response(200, resource(F + response));
    }

    @Test
    void embedContentEstimatesInputFromTheRequestText() {
        Observation o = sameForEverySplit(post("/v1beta/models/gemini-embedding-001:embedContent",
                "gemini_embed_request.json", "gemini_embed.json"));
        // no usage in the response; "What is the meaning of life?" = 28 chars → 28 / 4 = 7 tokens
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(7).estimated(true).build());
        assertThat(o.operation()).isEqualTo("embeddings");
        assertThat(o.modality()).isEqualTo(Modality.EMBEDDING);
        assertThat(o.model()).isEqualTo("gemini-embedding-001");
        assertThat(o.incomplete()).isFalse();
    }

    @Test
    void batchEmbedContentsSumsTheTextOfEveryRequest() {
        Observation o = sameForEverySplit(post("/v1beta/models/gemini-embedding-001:batchEmbedContents",
                "gemini_batch_embed_request.json", "gemini_batch_embed.json"));
        // 28 + "How does the brain work?" 24 = 52 chars → 52 / 4 = 13 tokens
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(13).estimated(true).build());
    }

    @Test
    void embeddingsWithReportedUsageTakeItExactly() {
        ExchangeHarness h = post("/v1beta/models/gemini-embedding-001:embedContent", "gemini_embed_request.json",
                "gemini_embed.json").response(200, "{\"embedding\":{\"values\":[0.1]},\"usageMetadata\":{\"promptTokenCount\":8}}");
        assertThat(sameForEverySplit(h).usage()).isEqualTo(Usage.builder().inputTokens(8).build());
    }

    @Test
    void countTokensIsNotAGeneration() {
        Observation o = sameForEverySplit(post("/v1beta/models/gemini-2.5-flash:countTokens",
                "gemini_generate_request.json", "gemini_count_tokens.json"));
        assertThat(o.operation()).isEqualTo("count_tokens");
        assertThat(o.modality()).isEqualTo(Modality.NONE);
        assertThat(o.usage()).isEqualTo(Usage.NONE);
        assertThat(o.model()).isEqualTo("gemini-2.5-flash");
    }

    @Test
    void imagenCountsThePredictionsThatCarryImageBytes() {
        Observation o = sameForEverySplit(post("/v1beta/models/imagen-4.0-generate-001:predict",
                "gemini_imagen_predict_request.json", "gemini_imagen_predict.json"));
        // two predictions with bytesBase64Encoded → 2 images
        assertThat(o.usage()).isEqualTo(Usage.builder().images(2).build());
        assertThat(o.operation()).isEqualTo("image");
        assertThat(o.modality()).isEqualTo(Modality.IMAGE);
        assertThat(o.model()).isEqualTo("imagen-4.0-generate-001");
    }

    @Test
    void imagenDoesNotCountAFilteredImage() {
        Observation o = sameForEverySplit(post("/v1beta/models/imagen-4.0-generate-001:predict",
                "gemini_imagen_predict_request.json", "gemini_imagen_predict_filtered.json"));
        // one image + one raiFilteredReason (not billed) → 1
        assertThat(o.usage()).isEqualTo(Usage.builder().images(1).build());
    }

    @Test
    void imagenCutShortCountsTheImagesAskedFor() {
        byte[] body = resource(F + "gemini_imagen_predict.json");
        int firstImage = GeminiGenerateTest.indexOf(body, "truncated", 0);
        Observation o = sameForEverySplit(post("/v1beta/models/imagen-4.0-generate-001:predict",
                "gemini_imagen_predict_request.json", "gemini_imagen_predict.json")
                .cutAfter(firstImage, Ending.CLIENT_ABORTED));
        // none seen whole; sampleCount 2 were generated → 2, estimated
        assertThat(o.usage()).isEqualTo(Usage.builder().images(2).estimated(true).build());
        assertThat(o.incomplete()).isTrue();
    }

    @Test
    void veoCreateStartsAPendingJobWithTheRequestedSeconds() {
        Observation o = sameForEverySplit(post("/v1beta/models/veo-3.1-generate-preview:predictLongRunning",
                "gemini_veo_create_request.json", "gemini_veo_create.json"));
        // durationSeconds "8" × sampleCount (absent → 1) = 8 s at resolution 720p
        assertThat(o.usage()).isEqualTo(Usage.builder().mediaSeconds(new BigDecimal("8"))
                .attribute("resolution", "720p").attribute("outputs_requested", "1").build());
        assertThat(o.job()).isEqualTo(new AsyncJob.Started(VEO));
        assertThat(o.upstreamRequestId()).isEqualTo(VEO);
        assertThat(o.operation()).isEqualTo("video");
        assertThat(o.modality()).isEqualTo(Modality.VIDEO);
        assertThat(o.model()).isEqualTo("veo-3.1-generate-preview");
        assertThat(o.incomplete()).isFalse();
    }

    @Test
    void veoCreateForTwoVideosAt1080pAndAFilteredOneBillsHalf() {
        Observation create = sameForEverySplit(post("/v1beta/models/veo-3.1-generate-preview:predictLongRunning",
                "gemini_veo_create_request_two_1080p.json", "gemini_veo_create.json"));
        // durationSeconds 8 (a number here) × sampleCount 2 = 16 s
        assertThat(create.usage()).isEqualTo(Usage.builder().mediaSeconds(new BigDecimal("16"))
                .attribute("resolution", "1080p").attribute("outputs_requested", "2").build());

        // a poll that finds one sample produced: the ledger scales 16 s × 1/2 = 8 s
        String oneSample = "{\"name\":\"" + VEO + "\",\"done\":true,\"response\":{\"generateVideoResponse\":"
                + "{\"generatedSamples\":[{\"video\":{\"uri\":\"https://example/v.mp4\"}}]}}}";
        Observation poll = sameForEverySplit(get("/v1beta/" + VEO, "gemini_veo_operation_done.json").response(200, oneSample));
        AsyncJob.Finished done = (AsyncJob.Finished) poll.job();
        Usage merged = new Finalization("gemini", done.jobId(), Instant.EPOCH, done.status(), done.error(), done.usage(),
                done.outputs()).merge(create.usage());
        assertThat(merged.mediaSeconds()).isEqualByComparingTo("8");
    }

    @Test
    void aPendingOperationPollFinalisesNothing() {
        Observation o = sameForEverySplit(get("/v1beta/" + VEO, "gemini_veo_operation_pending.json"));
        assertThat(o.job()).isEqualTo(AsyncJob.NONE);
        assertThat(o.operation()).isEqualTo("poll");
        assertThat(o.modality()).isEqualTo(Modality.NONE);
        assertThat(o.usage()).isEqualTo(Usage.NONE);
        assertThat(o.upstreamRequestId()).isEqualTo(VEO);
        assertThat(o.model()).isEqualTo("veo-3.1-generate-preview");
    }

    @Test
    void aDoneOperationFinalisesWithTheNumberOfVideos() {
        Observation o = sameForEverySplit(get("/v1beta/" + VEO, "gemini_veo_operation_done.json"));
        assertThat(o.job()).isEqualTo(new AsyncJob.Finished(VEO, 200, null, null, 1L));
        assertThat(o.usage()).isEqualTo(Usage.NONE); // the poll itself generates nothing
    }

    @Test
    void aFilteredOperationFinalisesWithNoOutputs() {
        String name = "models/veo-3.1-generate-preview/operations/def456uvw";
        Observation o = sameForEverySplit(get("/v1beta/" + name, "gemini_veo_operation_filtered.json"));
        assertThat(o.job()).isEqualTo(new AsyncJob.Finished(name, 200, "no video produced (safety-filtered)", null, 0L));
    }

    @Test
    void aFailedOperationFinalisesWithItsError() {
        String name = "models/veo-3.1-generate-preview/operations/ghi789rst";
        Observation o = sameForEverySplit(get("/v1beta/" + name, "gemini_veo_operation_error.json"));
        // google.rpc code 3 INVALID_ARGUMENT → HTTP 400
        assertThat(o.job()).isEqualTo(new AsyncJob.Finished(name, 400, "The prompt could not be submitted. This prompt "
                + "contains words that violate Gemini API's usage guidelines.", null, 0L));
        assertThat(o.errorMessage()).isNull(); // the poll itself succeeded
    }

    @Test
    void aPollCutShortFinalisesNothing() {
        byte[] body = resource(F + "gemini_veo_operation_done.json");
        Observation o = sameForEverySplit(get("/v1beta/" + VEO, "gemini_veo_operation_done.json")
                .cutAfter(GeminiGenerateTest.indexOf(body, "generatedSamples", 0), Ending.CLIENT_ABORTED));
        assertThat(o.job()).isEqualTo(AsyncJob.NONE);
        assertThat(o.incomplete()).isTrue();
    }

    @Test
    void aFailedVeoCreateStartsNoJob() {
        Observation o = sameForEverySplit(post("/v1beta/models/veo-3.1-generate-preview:predictLongRunning",
                "gemini_veo_create_request.json", "gemini_error_429.json").response(429, resource(F + "gemini_error_429.json")));
        assertThat(o.job()).isEqualTo(AsyncJob.NONE);
        assertThat(o.usage()).isEqualTo(Usage.NONE);
        assertThat(o.errorMessage()).startsWith("You exceeded your current quota");
    }
}
