package dev.genledger.proxy.replicate;

import static dev.genledger.proxy.provider.ExchangeHarness.resource;
import static dev.genledger.proxy.provider.ExchangeHarness.text;
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
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prediction creates, polls and cancels through the Replicate adapter, fixture by fixture. */
class ReplicateAdapterTest {
    private static final String F = "fixtures/replicate/";
    private final ReplicateAdapter adapter = new ReplicateAdapter();

    private ExchangeHarness create(String path, String request, int status, String response) {
        return new ExchangeHarness(adapter).request("POST", path)
                .requestBody(resource(F + request)).requestHeader("content-type", "application/json")
                .responseHeader("content-type", "application/json")
                .response(status, resource(F + response));
    }

    private ExchangeHarness poll(String id, String response) {
        return new ExchangeHarness(adapter).request("GET", "/v1/predictions/" + id)
                .responseHeaders(text(F + "replicate_prediction_get_headers.txt"))
                .response(200, resource(F + response));
    }

    @Test
    void aSyncCreateThatIsStillProcessingStartsAPendingJob() {
        ExchangeHarness h = create("/v1/models/meta/meta-llama-3-8b-instruct/predictions",
                "replicate_prediction_create_request.json", 201, "replicate_prediction_create.json")
                .requestHeader("prefer", "wait")
                .responseHeaders(text(F + "replicate_prediction_create_headers.txt"));
        Observation o = sameForEverySplit(h);
        // Preference-Applied: wait, yet status "processing": usage comes with a later poll
        assertThat(o.job()).isEqualTo(new AsyncJob.Started("7vr9my1z3nrj40cjb2vv9pshw0"));
        assertThat(o.upstreamRequestId()).isEqualTo("7vr9my1z3nrj40cjb2vv9pshw0");
        assertThat(o.usage()).isEqualTo(Usage.NONE);
        assertThat(o.model()).isEqualTo("meta/meta-llama-3-8b-instruct");
        assertThat(o.operation()).isEqualTo("prediction");
        assertThat(o.modality()).isEqualTo(Modality.TEXT);
        assertThat(o.incomplete()).isFalse();
    }

    @Test
    void anOfficialModelIsRecordedByItsPathEvenWhenTheResponseNamesAnother() {
        Observation o = sameForEverySplit(create("/v1/models/meta/llama-2-70b-chat/predictions",
                "replicate_prediction_create_request.json", 201, "replicate_official_model_create_starting.json"));
        assertThat(o.model()).isEqualTo("meta/llama-2-70b-chat"); // not "replicate/lifeboat-70b"
        assertThat(o.job()).isEqualTo(new AsyncJob.Started("heat2o3bzn3ahtr6bjfftvbaci"));
    }

    @Test
    void aDeploymentIsRecordedByItsPath() {
        Observation o = sameForEverySplit(create("/v1/deployments/acme/sdxl-prod/predictions",
                "replicate_deployment_create_request.json", 201, "replicate_official_model_create_starting.json"));
        assertThat(o.model()).isEqualTo("acme/sdxl-prod");
        assertThat(o.job()).isEqualTo(new AsyncJob.Started("heat2o3bzn3ahtr6bjfftvbaci"));
    }

    @Test
    void aVersionIdCreateThatFinishesAtOnceIsACompleteRowNamedByTheResponseModel() {
        Observation o = sameForEverySplit(create("/v1/predictions", "replicate_version_create_request.json", 201,
                "replicate_prediction_succeeded.json"));
        // terminal in the create response: predict_time 3.804328 s, one output file
        assertThat(o.usage()).isEqualTo(Usage.builder().mediaSeconds(new BigDecimal("3.804328")).images(1).build());
        assertThat(o.job()).isEqualTo(AsyncJob.NONE);
        // the body's version is a bare 64-hex id; the response names the model
        assertThat(o.model()).isEqualTo("stability-ai/sdxl");
        assertThat(o.upstreamRequestId()).isEqualTo("vgcm4plb7tgzlyznry5d5jkgvu");
        assertThat(o.modality()).isEqualTo(Modality.IMAGE);
    }

    @Test
    void anOwnerNameVersionInTheBodyNamesTheModel() {
        ExchangeHarness h = new ExchangeHarness(adapter).request("POST", "/v1/predictions")
                .requestBody("{\"version\":\"stability-ai/sdxl:39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b\","
                        + "\"input\":{\"prompt\":\"a corgi\"}}")
                .response(201, resource(F + "replicate_official_model_create_starting.json"));
        Observation o = sameForEverySplit(h);
        assertThat(o.model()).isEqualTo("stability-ai/sdxl"); // the body's, not the response's lifeboat
    }

    @Test
    void aPerImageModelCountsItsOutputFiles() {
        Observation o = sameForEverySplit(create("/v1/models/black-forest-labs/flux-schnell/predictions",
                "replicate_flux_schnell_request.json", 201, "replicate_flux_schnell_succeeded.json")
                .requestHeader("prefer", "wait"));
        // output: two replicate.delivery URLs → 2 images; predict_time 0.836 s
        assertThat(o.usage()).isEqualTo(Usage.builder().mediaSeconds(new BigDecimal("0.836")).images(2).build());
        assertThat(o.model()).isEqualTo("black-forest-labs/flux-schnell");
        assertThat(o.modality()).isEqualTo(Modality.IMAGE);
        assertThat(o.job()).isEqualTo(AsyncJob.NONE);
    }

    @Test
    void aSyncCreateThatFailsIsACompleteRowWithItsErrorAndTheTimeUsed() {
        Observation o = sameForEverySplit(create("/v1/predictions", "replicate_version_create_request.json", 201,
                "replicate_prediction_failed.json").requestHeader("prefer", "wait"));
        // failed predictions are billed for predict_time 3.512 s; no output files
        assertThat(o.usage()).isEqualTo(Usage.builder().mediaSeconds(new BigDecimal("3.512")).build());
        assertThat(o.errorMessage()).isEqualTo("CUDA out of memory. Tried to allocate 16.00 GiB");
        assertThat(o.job()).isEqualTo(AsyncJob.NONE);
    }

    @Test
    void aPollOfASucceededPredictionFinalisesItsRow() {
        Observation o = sameForEverySplit(poll("vgcm4plb7tgzlyznry5d5jkgvu", "replicate_prediction_succeeded.json"));
        assertThat(o.job()).isEqualTo(new AsyncJob.Finished("vgcm4plb7tgzlyznry5d5jkgvu", 200, null,
                Usage.builder().mediaSeconds(new BigDecimal("3.804328")).images(1).build(), null));
        assertThat(o.usage()).isEqualTo(Usage.NONE); // the poll itself runs nothing
        assertThat(o.operation()).isEqualTo("poll");
        assertThat(o.modality()).isEqualTo(Modality.NONE);
        assertThat(o.model()).isEqualTo("stability-ai/sdxl");
        assertThat(o.upstreamRequestId()).isEqualTo("vgcm4plb7tgzlyznry5d5jkgvu");
    }

    @Test
    void aLanguageModelReportsTokensAndItsTextPiecesAreNotFiles() {
        Observation o = sameForEverySplit(poll("q7a2c9b8x1rm00cjb3vv7pshw4", "replicate_llm_prediction.json"));
        // metrics: input_token_count 17, output_token_count 23, predict_time 1.271; output = 7 text pieces, 0 files
        assertThat(o.job()).isEqualTo(new AsyncJob.Finished("q7a2c9b8x1rm00cjb3vv7pshw4", 200, null,
                Usage.builder().inputTokens(17).outputTokens(23).mediaSeconds(new BigDecimal("1.271")).build(), null));
    }

    @Test
    void aCancelledPredictionIsBilledForTheTimeItRan() {
        ExchangeHarness h = new ExchangeHarness(adapter).request("POST", "/v1/predictions/hdwst0bb05rgp0cf0p29mzk2am/cancel")
                .responseHeaders(text(F + "replicate_prediction_get_headers.txt"))
                .response(200, resource(F + "replicate_prediction_canceled.json"));
        Observation o = sameForEverySplit(h);
        assertThat(o.job()).isEqualTo(new AsyncJob.Finished("hdwst0bb05rgp0cf0p29mzk2am", 499, "canceled",
                Usage.builder().mediaSeconds(new BigDecimal("0.128148")).build(), null));
        assertThat(o.operation()).isEqualTo("cancel");
        assertThat(o.modality()).isEqualTo(Modality.NONE);
    }

    @Test
    void aFailedPredictionFinalisesWithItsErrorAndTheTimeUsed() {
        Observation o = sameForEverySplit(poll("f2b9x8c7v6hrj00cjb5yy1r2d9", "replicate_prediction_failed.json"));
        assertThat(o.job()).isEqualTo(new AsyncJob.Finished("f2b9x8c7v6hrj00cjb5yy1r2d9", 500,
                "CUDA out of memory. Tried to allocate 16.00 GiB",
                Usage.builder().mediaSeconds(new BigDecimal("3.512")).build(), null));
        assertThat(o.errorMessage()).isNull(); // the poll itself succeeded
    }

    @Test
    void anAbortedPredictionIsNotCharged() {
        Observation o = sameForEverySplit(poll("a1b2c3d4e5hrj00cjb6zz2s3e0", "replicate_prediction_aborted.json"));
        assertThat(o.job()).isEqualTo(new AsyncJob.Finished("a1b2c3d4e5hrj00cjb6zz2s3e0", 504,
                "Prediction deadline exceeded before it started", Usage.NONE, null));
    }

    @Test
    void aPollOfARunningPredictionFinalisesNothing() {
        Observation o = sameForEverySplit(poll("7vr9my1z3nrj40cjb2vv9pshw0", "replicate_prediction_create.json"));
        assertThat(o.job()).isEqualTo(AsyncJob.NONE);
        assertThat(o.upstreamRequestId()).isEqualTo("7vr9my1z3nrj40cjb2vv9pshw0");
        assertThat(o.incomplete()).isFalse();
    }

    @Test
    void aPollCutShortFinalisesNothing() {
        byte[] body = resource(F + "replicate_prediction_succeeded.json");
        int beforeMetrics = new String(body, StandardCharsets.UTF_8).indexOf("\"metrics\"");
        Observation o = sameForEverySplit(poll("vgcm4plb7tgzlyznry5d5jkgvu", "replicate_prediction_succeeded.json")
                .cutAfter(beforeMetrics, Ending.CLIENT_ABORTED));
        assertThat(o.job()).isEqualTo(AsyncJob.NONE);
        assertThat(o.incomplete()).isTrue();
    }

    @Test
    void aSyncCreateCutBeforeItsMetricsStaysPendingForAPoll() {
        byte[] body = resource(F + "replicate_flux_schnell_succeeded.json");
        int beforeMetrics = new String(body, StandardCharsets.UTF_8).indexOf("\"metrics\"");
        Observation o = sameForEverySplit(create("/v1/models/black-forest-labs/flux-schnell/predictions",
                "replicate_flux_schnell_request.json", 201, "replicate_flux_schnell_succeeded.json")
                .cutAfter(beforeMetrics, Ending.CLIENT_ABORTED));
        assertThat(o.job()).isEqualTo(new AsyncJob.Started("r3kd7m2v5hrj00cjb4xx0q1a8c"));
        assertThat(o.incomplete()).isTrue();
    }

    @Test
    void aCreateCutBeforeItsIdIsIncompleteAndEstimated() {
        Observation o = sameForEverySplit(create("/v1/models/black-forest-labs/flux-schnell/predictions",
                "replicate_flux_schnell_request.json", 201, "replicate_flux_schnell_succeeded.json")
                .cutAfter(4, Ending.UPSTREAM_FAILED));
        assertThat(o.job()).isEqualTo(AsyncJob.NONE);
        assertThat(o.incomplete()).isTrue();
        assertThat(o.usage().estimated()).isTrue();
    }

    @Test
    void problemJsonErrorsGiveTheDetailAndNoUsage() {
        Observation unauthenticated = sameForEverySplit(create("/v1/models/black-forest-labs/flux-schnell/predictions",
                "replicate_flux_schnell_request.json", 401, "replicate_error_401.json"));
        assertThat(unauthenticated.errorMessage()).isEqualTo("You did not pass a valid authentication token");
        assertThat(unauthenticated.usage()).isEqualTo(Usage.NONE);
        assertThat(unauthenticated.job()).isEqualTo(AsyncJob.NONE);

        Observation invalid = sameForEverySplit(create("/v1/predictions", "replicate_version_create_request.json", 422,
                "replicate_error_422.json"));
        assertThat(invalid.errorMessage())
                .isEqualTo("The specified version does not exist (or perhaps you don't have permission to use it?)");
        // no response model: the version id is all there is
        assertThat(invalid.model()).isEqualTo("39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b");
    }

    @Test
    void theOutputStreamIsNotARouteOfTheGateway() {
        // urls.stream lives on another host; should its path ever reach the gateway it meters nothing
        Observation o = sameForEverySplit(new ExchangeHarness(adapter).request("GET", "/v1/streams/yr4xaj6trsqlyhox")
                .responseHeader("content-type", "text/event-stream")
                .response(200, resource(F + "replicate_stream.sse")));
        assertThat(o.operation()).isEqualTo("other");
        assertThat(o.modality()).isEqualTo(Modality.NONE);
        assertThat(o.usage()).isEqualTo(Usage.NONE);
    }

    @Test
    void aTwentyMegabyteDataUriOutputParsesWithBoundedHeap() {
        // sync mode may return outputs inline as data URIs
        byte[] body = ("{\"id\":\"p1\",\"model\":\"black-forest-labs/flux-schnell\",\"status\":\"succeeded\",\"output\":"
                + "[\"data:image/webp;base64," + "UklG".repeat(5_000_000) + "\"],\"metrics\":{\"predict_time\":0.91}}")
                .getBytes(StandardCharsets.US_ASCII);
        Exchange ex = adapter.begin(new RequestInfo("POST", "/v1/models/black-forest-labs/flux-schnell/predictions",
                Map.of(), HeaderView.EMPTY, -1));
        ex.requestEnd();
        ex.responseHead(201, HeaderView.of(Map.of("content-type", "application/json")));
        long before = ObservationSplits.usedHeap();
        for (int i = 0; i < body.length; i += 16_384) {
            ex.responseBody(ByteBuffer.wrap(body, i, Math.min(16_384, body.length - i)));
        }
        ex.responseEnd();
        long grown = ObservationSplits.usedHeap() - before;
        assertThat(ex.finish(Ending.COMPLETE).usage())
                .isEqualTo(Usage.builder().mediaSeconds(new BigDecimal("0.91")).images(1).build());
        assertThat(grown).isLessThan(8L * 1024 * 1024);
    }
}
