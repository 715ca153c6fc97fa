package dev.genledger.proxy.replicate;

import static dev.genledger.proxy.provider.ExchangeHarness.resource;
import static dev.genledger.proxy.provider.ExchangeHarness.text;
import static dev.genledger.proxy.provider.FixtureCosts.assertCost;
import static dev.genledger.proxy.provider.FixtureCosts.assertUnpriced;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.pricing.PriceCatalog;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.ExchangeHarness;
import dev.genledger.proxy.provider.FixtureCosts;
import dev.genledger.proxy.provider.Observation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Replicate fixture of a billable prediction through the adapter and the bundled catalog, on
 * 2026-11-01, with the expected cost worked out by hand (issue 5). Official models are priced per
 * output image or per token; community models per second of {@code predict_time} on the hardware
 * the catalog maps them to, and the bundled catalog maps none. Skipped: {@code replicate_stream.sse}
 * (the output stream is served from another host and is no gateway route).
 */
class ReplicateFixtureCostTest {
    private static final String F = "fixtures/replicate/";
    private static final FixtureCosts COSTS = new FixtureCosts("replicate");

    private final ReplicateAdapter adapter = new ReplicateAdapter();

    private static Observation run(ExchangeHarness h) {
        return h.run().observation();
    }

    private ExchangeHarness create(String path, String request, int status, String response) {
        return new ExchangeHarness(adapter).request("POST", path)
                .requestBody(resource(F + request)).requestHeader("content-type", "application/json")
                .responseHeader("content-type", "application/json").response(status, resource(F + response));
    }

    private Observation poll(String id, String response) {
        return run(new ExchangeHarness(adapter).request("GET", "/v1/predictions/" + id)
                .responseHeaders(text(F + "replicate_prediction_get_headers.txt")).response(200, resource(F + response)));
    }

    private Observation cancel(String id, String response) {
        return run(new ExchangeHarness(adapter).request("POST", "/v1/predictions/" + id + "/cancel")
                .responseHeaders(text(F + "replicate_prediction_get_headers.txt")).response(200, resource(F + response)));
    }

    // ------------------------------------------------------------------ official models

    @Test
    void fluxSchnellIsPricedPerOutputImage() {
        Observation o = run(create("/v1/models/black-forest-labs/flux-schnell/predictions",
                "replicate_flux_schnell_request.json", 201, "replicate_flux_schnell_succeeded.json")
                .requestHeader("prefer", "wait"));

        // 2 output files × $0.003 = 0.006 (its 0.836 s of predict time are not billed: an official model)
        assertCost(COSTS.of(o), "replicate/black-forest-labs/flux-schnell@2026-05-11", "0.006", "0", "0", "0.006");
    }

    @Test
    void languageModelIsPendingAtCreateAndPricedPerTokenWhenFinished() {
        // the recorded create of an official LLM: still processing, so written pending with no usage
        Observation created = run(create("/v1/models/meta/meta-llama-3-8b-instruct/predictions",
                "replicate_prediction_create_request.json", 201, "replicate_prediction_create.json")
                .requestHeader("prefer", "wait").responseHeaders(text(F + "replicate_prediction_create_headers.txt")));
        assertThat(created.job()).isEqualTo(new AsyncJob.Started("7vr9my1z3nrj40cjb2vv9pshw0"));
        assertThat(created.usage().isEmpty()).isTrue();

        // a finished official LLM prediction (its create is not among the fixtures)
        Observation poll = poll("q7a2c9b8x1rm00cjb3vv7pshw4", "replicate_llm_prediction.json");
        assertThat(poll.model()).isEqualTo("meta/meta-llama-3-70b-instruct");

        // 17 in × $0.65/1M = 0.00001105; 23 out × $2.75/1M = 0.00006325; total 0.0000743
        // (its 1.271 s of predict time are not billed)
        assertCost(COSTS.finalised(poll.model(), "prediction", (AsyncJob.Finished) poll.job()),
                "replicate/meta/llama-3-70b-instruct@2026-07-24", "0.0000743", "0.00001105", "0.00006325", "0");
    }

    // ------------------------------------------------------------------ community models, billed by time

    @Test
    void communityModelPredictionsAreUnpricedWithoutAHardwareMapping() {
        Observation sync = run(create("/v1/predictions", "replicate_version_create_request.json", 201,
                "replicate_prediction_succeeded.json"));
        Observation failed = run(create("/v1/predictions", "replicate_version_create_request.json", 201,
                "replicate_prediction_failed.json").requestHeader("prefer", "wait"));
        Observation polled = poll("vgcm4plb7tgzlyznry5d5jkgvu", "replicate_prediction_succeeded.json");
        Observation canceled = cancel("hdwst0bb05rgp0cf0p29mzk2am", "replicate_prediction_canceled.json");

        // stability-ai/sdxl ran 3.804328 s, 3.512 s (failed, still billed) and 0.128148 s (canceled), but the
        // bundled catalog maps it to no hardware
        assertUnpriced(COSTS.of(sync));
        assertUnpriced(COSTS.of(failed));
        assertUnpriced(COSTS.finalised(polled.model(), "prediction", (AsyncJob.Finished) polled.job()));
        assertUnpriced(COSTS.finalised("stability-ai/sdxl", "prediction", (AsyncJob.Finished) canceled.job()));
    }

    @Test
    void communityModelPredictionsArePricedPerSecondOnceMappedToHardware(@TempDir Path dir) throws IOException {
        // what an operator adds in GENLEDGER_PRICING_FILE; the SKU is an example, not sdxl's known hardware
        Path file = Files.writeString(dir.resolve("prices.yaml"), """
                models:
                  - {provider: replicate, model: stability-ai/sdxl, effective_from: 2026-01-01,
                     source: "test mapping", hardware: gpu-a40-large}
                """);
        FixtureCosts mapped = new FixtureCosts("replicate", PriceCatalog.load(file, null));

        Observation sync = run(create("/v1/predictions", "replicate_version_create_request.json", 201,
                "replicate_prediction_succeeded.json"));
        Observation failed = run(create("/v1/predictions", "replicate_version_create_request.json", 201,
                "replicate_prediction_failed.json").requestHeader("prefer", "wait"));
        Observation polled = poll("vgcm4plb7tgzlyznry5d5jkgvu", "replicate_prediction_succeeded.json");
        Observation canceled = cancel("hdwst0bb05rgp0cf0p29mzk2am", "replicate_prediction_canceled.json");

        // gpu-a40-large $0.000725/s; the output image is not billed again
        // succeeded: 3.804328 s × 0.000725 = 0.0027581378
        assertCost(mapped.of(sync), "replicate/stability-ai/sdxl@2026-01-01", "0.0027581378", "0", "0", "0.0027581378");
        assertCost(mapped.finalised(polled.model(), "prediction", (AsyncJob.Finished) polled.job()),
                "replicate/stability-ai/sdxl@2026-01-01", "0.0027581378", "0", "0", "0.0027581378");
        // failed: 3.512 s × 0.000725 = 0.0025462
        assertCost(mapped.of(failed), "replicate/stability-ai/sdxl@2026-01-01", "0.0025462", "0", "0", "0.0025462");
        // canceled: 0.128148 s × 0.000725 = 0.0000929073
        assertCost(mapped.finalised("stability-ai/sdxl", "prediction", (AsyncJob.Finished) canceled.job()),
                "replicate/stability-ai/sdxl@2026-01-01", "0.0000929073", "0", "0", "0.0000929073");
    }

    @Test
    void abortedPredictionFinalisesWithNothingToPrice() {
        AsyncJob.Finished done = (AsyncJob.Finished) poll("a1b2c3d4e5hrj00cjb6zz2s3e0", "replicate_prediction_aborted.json")
                .job();

        // aborted before it started: no predict_time; a failed job with empty usage is finalised free
        assertThat(done.status()).isEqualTo(504);
        assertThat(done.usage()).isEqualTo(Usage.NONE);
    }

    @Test
    void pendingCreatesCountNothingUntilAPollFinishesThem() {
        Observation official = run(create("/v1/models/meta/llama-2-70b-chat/predictions",
                "replicate_prediction_create_request.json", 201, "replicate_official_model_create_starting.json"));
        Observation deployment = run(create("/v1/deployments/acme/sdxl-prod/predictions",
                "replicate_deployment_create_request.json", 201, "replicate_official_model_create_starting.json"));

        // written pending and unpriced; no fixture finishes them
        for (Observation o : new Observation[] {official, deployment}) {
            assertThat(o.job()).isInstanceOf(AsyncJob.Started.class);
            assertThat(o.usage().isEmpty()).isTrue();
        }
    }

    @Test
    void errorResponsesCountNothing() {
        Observation unauthenticated = run(create("/v1/models/black-forest-labs/flux-schnell/predictions",
                "replicate_flux_schnell_request.json", 401, "replicate_error_401.json"));
        Observation invalid = run(create("/v1/predictions", "replicate_version_create_request.json", 422,
                "replicate_error_422.json"));

        // an error with empty usage is recorded free
        for (Observation o : new Observation[] {unauthenticated, invalid}) {
            assertThat(o.usage().isEmpty()).isTrue();
            assertThat(o.errorMessage()).isNotBlank();
        }
    }
}
