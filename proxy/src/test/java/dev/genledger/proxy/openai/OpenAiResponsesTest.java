package dev.genledger.proxy.openai;

import static dev.genledger.proxy.openai.Observe.afterEvent;
import static dev.genledger.proxy.openai.Observe.event;
import static dev.genledger.proxy.openai.Observe.everyWay;
import static dev.genledger.proxy.openai.Observe.fixture;
import static dev.genledger.proxy.openai.Observe.firstEvents;
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
import org.junit.jupiter.api.Test;

class OpenAiResponsesTest {
    private static final String BACKGROUND_ID = "resp_68b9a1c2d3e4f5a6b7c8d9e0f1a2b3c4";

    private static ExchangeHarness create(String request) {
        return openai().request("POST", "/v1/responses").requestBody(request);
    }

    private static ExchangeHarness json(ExchangeHarness h, String body) {
        return h.response(200, body).responseHeader("content-type", "application/json")
                .responseHeader("x-request-id", "req_resp");
    }

    private static ExchangeHarness events(ExchangeHarness h, String sse) {
        return h.response(200, sse).responseHeader("content-type", "text/event-stream");
    }

    @Test
    void aResponseReportsItsUsageModelAndOperation() {
        Observation o = observation(json(create(text("openai_responses_request.json")), text("openai_responses.json")));

        // input_tokens 36 (cached 0), output_tokens 87 (reasoning 0)
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(36).outputTokens(87).build());
        assertThat(o.operation()).isEqualTo("responses");
        assertThat(o.modality()).isEqualTo(Modality.TEXT);
        assertThat(o.model()).isEqualTo("gpt-5.4");
        assertThat(o.streamed()).isFalse();
        assertThat(o.incomplete()).isFalse();
        assertThat(o.upstreamRequestId()).isEqualTo("req_resp");
    }

    @Test
    void reasoningTokensAreInsideOutputTokens() {
        Observation o = observation(json(create("{\"model\":\"o1\",\"input\":\"tongue twister\",\"reasoning\":{\"effort\":\"high\"}}"),
                text("openai_responses_reasoning.json")));

        // output_tokens 1035 of which reasoning_tokens 832 (not added again); input 81
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(81).outputTokens(1035).reasoningTokens(832).build());
        assertThat(o.model()).isEqualTo("o1-2024-12-17");
    }

    @Test
    void anIncompleteResponseIsStillBilledAsReported() {
        String body = text("openai_responses.json").replace("\"status\": \"completed\"", "\"status\": \"incomplete\"")
                .replace("\"incomplete_details\": null", "\"incomplete_details\": {\"reason\": \"max_output_tokens\"}");
        Observation o = observation(json(create(text("openai_responses_request.json")), body));

        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(36).outputTokens(87).build());
        assertThat(o.incomplete()).isFalse();
    }

    @Test
    void aStreamIsReadFromItsCompletedEventAndRelayedUntouched() {
        ExchangeHarness.Result r = everyWay(events(create(text("openai_responses_stream_request.json")),
                text("openai_responses_stream.sse")));

        // response.completed: input_tokens 13 (cached 0), output_tokens 12 (reasoning 0);
        // service_tier "auto" in response.created, "default" in response.completed
        assertThat(r.observation().usage()).isEqualTo(Usage.builder().inputTokens(13).outputTokens(12)
                .attribute("service_tier", "default").build());
        assertThat(r.observation().model()).isEqualTo("gpt-3.5-turbo-0125");
        assertThat(r.observation().streamed()).isTrue();
        assertThat(r.observation().incomplete()).isFalse();
        assertThat(r.forwardedRequest()).isEqualTo(fixture("openai_responses_stream_request.json"));
        assertThat(r.clientText()).isEqualTo(text("openai_responses_stream.sse"));
    }

    @Test
    void aStreamCutBeforeItsTerminalEventIsEstimatedFromTheInputAndTheTextDeltas() {
        byte[] sse = fixture("openai_responses_stream.sse");
        // created, in_progress, output_item.added, content_part.added, then 4 text deltas
        Observation o = observation(events(create(text("openai_responses_stream_request.json")), text("openai_responses_stream.sse"))
                .cutAfter(afterEvent(sse, 8), Ending.CLIENT_ABORTED));

        // input: "Say some greetings" = 18 bytes → ceil(18 / 4) = 5; output: 4 deltas
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(5).outputTokens(4).estimated(true).build());
        assertThat(o.incomplete()).isTrue();
        assertThat(o.model()).isEqualTo("gpt-3.5-turbo-0125");
    }

    @Test
    void anIncompleteTerminalEventWithoutUsageIsEstimated() {
        // the stream's first 6 events (2 deltas) and the spec's response.incomplete example, usage null
        String sse = firstEvents(text("openai_responses_stream.sse"), 6)
                + event("response.incomplete", text("openai_responses_incomplete_event.json"));
        Observation o = observation(events(create(text("openai_responses_stream_request.json")), sse));

        // input ceil(18 / 4) = 5; output: 2 deltas ("Greetings", ",")
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(5).outputTokens(2).estimated(true).build());
        assertThat(o.incomplete()).isTrue();
        assertThat(o.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(o.errorMessage()).isNull();
    }

    @Test
    void aFailedTerminalEventGivesTheErrorAndAnEstimate() {
        String sse = firstEvents(text("openai_responses_stream.sse"), 2)
                + event("response.failed", text("openai_responses_failed_event.json"));
        Observation o = observation(events(create(text("openai_responses_stream_request.json")), sse));

        assertThat(o.errorMessage()).isEqualTo("The model failed to generate a response.");
        // input ceil(18 / 4) = 5; no output delta was seen
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(5).estimated(true).build());
        assertThat(o.incomplete()).isTrue();
    }

    @Test
    void anErrorEventGivesItsMessage() {
        String sse = firstEvents(text("openai_responses_stream.sse"), 1)
                + "event: error\ndata: {\"type\":\"error\",\"code\":\"server_error\",\"message\":\"Something went wrong\","
                + "\"param\":null,\"sequence_number\":1}\n\n";
        Observation o = observation(events(create(text("openai_responses_stream_request.json")), sse));

        assertThat(o.errorMessage()).isEqualTo("Something went wrong");
        assertThat(o.usage().estimated()).isTrue();
        assertThat(o.incomplete()).isTrue();
    }

    @Test
    void aBackgroundResponseIsWrittenPendingAndFinishedByTheRetrievalThatSeesItDone() {
        Observation created = observation(json(create(text("openai_responses_background_request.json")),
                text("openai_responses_background_queued.json")));
        assertThat(created.job()).isEqualTo(new AsyncJob.Started(BACKGROUND_ID));
        assertThat(created.usage()).isEqualTo(Usage.NONE);
        assertThat(created.incomplete()).isFalse();
        assertThat(created.operation()).isEqualTo("responses");
        assertThat(created.model()).isEqualTo("o3-2025-04-16");
        assertThat(created.upstreamRequestId()).as("the pending row is keyed by the job").isEqualTo(BACKGROUND_ID);

        Observation poll = observation(json(openai().request("GET", "/v1/responses/" + BACKGROUND_ID),
                text("openai_responses_background_completed.json")));
        // input 120 (cached 0), output 2480 ⊇ reasoning 2048, on the default tier
        Usage done = Usage.builder().inputTokens(120).outputTokens(2480).reasoningTokens(2048)
                .attribute("service_tier", "default").build();
        assertThat(poll.job()).isEqualTo(new AsyncJob.Finished(BACKGROUND_ID, 200, null, done, null));
        assertThat(poll.operation()).isEqualTo("poll");
        assertThat(poll.modality()).isEqualTo(Modality.NONE);
        assertThat(poll.usage()).as("the poll itself is not a generation").isEqualTo(Usage.NONE);
    }

    @Test
    void aRetrievalOfAStillRunningOrForegroundResponseFinishesNothing() {
        Observation running = observation(json(openai().request("GET", "/v1/responses/" + BACKGROUND_ID),
                text("openai_responses_background_queued.json").replace("\"queued\"", "\"in_progress\"")));
        assertThat(running.job()).isEqualTo(AsyncJob.NONE);

        Observation stored = observation(json(openai().request("GET", "/v1/responses/resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b"),
                text("openai_responses.json")));
        assertThat(stored.job()).isEqualTo(AsyncJob.NONE);
        assertThat(stored.usage()).isEqualTo(Usage.NONE);
    }

    @Test
    void aCancelledBackgroundResponseIsFinishedAsCancelled() {
        String cancelled = text("openai_responses_background_queued.json").replace("\"queued\"", "\"cancelled\"");
        Observation o = observation(json(openai().request("POST", "/v1/responses/" + BACKGROUND_ID + "/cancel"),
                cancelled));

        assertThat(o.operation()).isEqualTo("cancel");
        assertThat(o.job()).isEqualTo(new AsyncJob.Finished(BACKGROUND_ID, 499, "cancelled", null, null));
    }

    @Test
    void aTokenCountIsAControlCall() {
        Observation o = observation(json(openai().request("POST", "/v1/responses/input_tokens")
                .requestBody("{\"model\":\"gpt-5.4\",\"input\":\"hi\"}"), "{\"object\":\"response.input_tokens\",\"input_tokens\":7}"));

        assertThat(o.operation()).isEqualTo("count_tokens");
        assertThat(o.modality()).isEqualTo(Modality.NONE);
        assertThat(o.usage()).isEqualTo(Usage.NONE);
        assertThat(o.model()).isEqualTo("gpt-5.4");
        assertThat(o.incomplete()).isFalse();
    }
}
