package dev.genledger.proxy.openai;

import static dev.genledger.proxy.openai.Observe.observation;
import static dev.genledger.proxy.openai.Observe.openai;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genledger.ledger.Modality;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.Exchange;
import dev.genledger.proxy.provider.HeaderView;
import dev.genledger.proxy.provider.Observation;
import dev.genledger.proxy.provider.RequestInfo;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiAdapterTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void itIsNamedAfterItsPathPrefix() {
        assertThat(new OpenAiAdapter(true).name()).isEqualTo("openai");
    }

    @ParameterizedTest(name = "{0} {1} → {2} {3}")
    @CsvSource({
            "POST, /v1/chat/completions, chat, TEXT",
            "POST, /v1/completions, chat, TEXT",
            "POST, /v1/responses, responses, TEXT",
            "GET, /v1/responses/resp_abc123, poll, NONE",
            "POST, /v1/responses/resp_abc123/cancel, cancel, NONE",
            "GET, /v1/responses/resp_abc123/input_items, other, NONE",
            "POST, /v1/responses/input_tokens, count_tokens, NONE",
            "POST, /v1/embeddings, embeddings, EMBEDDING",
            "POST, /v1/embeddings/, embeddings, EMBEDDING",
            "POST, /v1/images/generations, image, IMAGE",
            "POST, /v1/images/edits, image_edit, IMAGE",
            "POST, /v1/images/variations, image_variation, IMAGE",
            "POST, /v1/audio/speech, speech, AUDIO",
            "POST, /v1/audio/transcriptions, transcription, AUDIO",
            "POST, /v1/audio/translations, translation, AUDIO",
            "GET, /v1/models, models, NONE",
            "GET, /v1/models/gpt-4o, models, NONE",
            "DELETE, /v1/models/ft:gpt-4o-mini:acme::abc123, models, NONE",
            "POST, /v1/files, files, NONE",
            "GET, /v1/files/file-abc123/content, files, NONE",
            "POST, /v1/uploads, files, NONE",
            "POST, /v1/batches, other, NONE",
            "GET, /v1/batches/batch_abc123, other, NONE",
            "POST, /v1/moderations, other, NONE",
            "POST, /v1/fine_tuning/jobs, other, NONE",
            "GET, /v1/chat/completions, other, NONE",
            "GET, /v1/embeddings, other, NONE",
            "POST, /v2/unknown, other, NONE"})
    void theRouteAloneGivesOperationAndModality(String method, String path, String operation, Modality modality) {
        Exchange ex = new OpenAiAdapter(true).begin(new RequestInfo(method, path, Map.of(), HeaderView.EMPTY, -1));
        assertThat(ex.operation()).isEqualTo(operation);
        assertThat(ex.modality()).isEqualTo(modality);
    }

    @Test
    void aControlCallIsRecordedWithoutUsage() {
        Observation list = observation(openai().request("GET", "/v1/models")
                .response(200, "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o\",\"object\":\"model\",\"created\":1,"
                        + "\"owned_by\":\"system\"}]}").responseHeader("content-type", "application/json")
                .responseHeader("x-request-id", "req_models"));
        assertThat(list).isEqualTo(new Observation("models", Modality.NONE, null, Usage.NONE, false, "req_models", null,
                false, AsyncJob.NONE));
    }

    @Test
    void aFileDownloadIsRelayedWithoutBeingRead() {
        byte[] file = new byte[3 * 1024 * 1024];
        Arrays.fill(file, (byte) '{');
        Observation o = observation(openai().request("GET", "/v1/files/file-abc123/content")
                .response(200, file).responseHeader("content-type", "application/octet-stream"));
        assertThat(o.usage()).isEqualTo(Usage.NONE);
        assertThat(o.incomplete()).isFalse();
        assertThat(o.errorMessage()).isNull();
    }

    @Test
    void aControlCallErrorCarriesTheMessage() {
        Observation o = observation(openai().request("GET", "/v1/models/gpt-9")
                .response(404, "{\"error\":{\"message\":\"The model `gpt-9` does not exist\",\"type\":\"invalid_request_error\","
                        + "\"param\":null,\"code\":\"model_not_found\"}}").responseHeader("content-type", "application/json"));
        assertThat(o.errorMessage()).isEqualTo("The model `gpt-9` does not exist");
        assertThat(o.usage()).isEqualTo(Usage.NONE);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "400, invalid_header, invalid_request_error",
            "413, body_too_large, invalid_request_error",
            "429, budget_exceeded, rate_limit_error",
            "502, upstream_unreachable, server_error",
            "504, upstream_timeout, server_error"})
    void gatewayErrorsTakeOpenAisErrorShape(int status, String code, String type) throws Exception {
        String message = "X-Tags is malformed: \"team=\" has no value\nfix the header";
        JsonNode body = MAPPER.readTree(new OpenAiAdapter(true).errorBody(status, code, message));

        assertThat(body.size()).isEqualTo(1);
        JsonNode error = body.get("error");
        assertThat(error.get("message").asText()).isEqualTo(message);
        assertThat(error.get("type").asText()).isEqualTo(type);
        assertThat(error.get("param").isNull()).isTrue();
        assertThat(error.get("code").asText()).isEqualTo(code);
    }

    @Test
    void theAdapterReadsItsOwnErrorBodyBack() {
        byte[] body = new OpenAiAdapter(true).errorBody(429, "budget_exceeded", "Monthly budget of 100 USD reached");
        Observation o = observation(openai().request("POST", "/v1/chat/completions")
                .requestBody("{\"model\":\"gpt-4o\",\"messages\":[]}").response(429, body));
        assertThat(o.errorMessage()).isEqualTo("Monthly budget of 100 USD reached");
    }
}
