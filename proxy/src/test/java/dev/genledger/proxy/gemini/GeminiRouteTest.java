package dev.genledger.proxy.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genledger.ledger.Modality;
import dev.genledger.proxy.provider.Exchange;
import dev.genledger.proxy.provider.ExchangeHarness;
import dev.genledger.proxy.provider.HeaderView;
import dev.genledger.proxy.provider.Observation;
import dev.genledger.proxy.provider.RequestInfo;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GeminiRouteTest {
    private final GeminiAdapter adapter = new GeminiAdapter();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            POST | /v1beta/models/gemini-2.5-flash:generateContent          | chat         | TEXT      | gemini-2.5-flash
            POST | /v1/models/gemini-2.5-pro:streamGenerateContent          | chat         | TEXT      | gemini-2.5-pro
            POST | /v1beta/tunedModels/my-model-7:generateContent           | chat         | TEXT      | tunedModels/my-model-7
            POST | /v1beta/models/gemini-2.5-flash-image:generateContent    | image        | IMAGE     | gemini-2.5-flash-image
            POST | /v1beta/models/gemini-2.5-pro-preview-tts:generateContent | speech      | AUDIO     | gemini-2.5-pro-preview-tts
            POST | /v1beta/models/gemini-embedding-001:batchEmbedContents   | embeddings   | EMBEDDING | gemini-embedding-001
            POST | /v1beta/models/imagen-4.0-ultra-generate-001:predict     | image        | IMAGE     | imagen-4.0-ultra-generate-001
            POST | /v1beta/models/veo-3.1-fast-generate-preview:predictLongRunning | video | VIDEO     | veo-3.1-fast-generate-preview
            GET  | /v1beta/models/veo-3.1-generate-preview/operations/abc   | poll         | NONE      | veo-3.1-generate-preview
            POST | /v1beta/models/veo-3.1-generate-preview/operations/abc:cancel | cancel  | NONE      | veo-3.1-generate-preview
            GET  | /v1beta/operations/xyz                                   | poll         | NONE      | -
            POST | /v1beta/models/gemini-2.5-flash:countTokens              | count_tokens | NONE      | gemini-2.5-flash
            GET  | /v1beta/models                                           | models       | NONE      | -
            GET  | /v1beta/models/gemini-2.5-flash                          | models       | NONE      | gemini-2.5-flash
            POST | /upload/v1beta/files                                     | files        | NONE      | -
            GET  | /v1beta/files/abc:download                               | files        | NONE      | -
            POST | /v1beta/models/gemini-2.5-flash:batchGenerateContent     | other        | NONE      | gemini-2.5-flash
            POST | /v1beta/cachedContents                                   | other        | NONE      | -
            GET  | /healthz                                                 | other        | NONE      | -
            """)
    void routesAreKnownFromMethodAndPathAlone(String method, String path, String operation, Modality modality, String model) {
        Exchange ex = adapter.begin(new RequestInfo(method, path, Map.of(), HeaderView.EMPTY, -1));
        assertThat(ex.operation()).isEqualTo(operation);
        assertThat(ex.modality()).isEqualTo(modality);
        assertThat(ex.finish(dev.genledger.proxy.provider.Ending.REJECTED).model()).isEqualTo(model);
    }

    @Test
    void errorBodyIsGooglesShapeAndReadsBackAsTheMessage() throws Exception {
        byte[] body = adapter.errorBody(429, "budget_exceeded", "Monthly budget of $100.00 reached for team \"ml\"");
        JsonNode error = new ObjectMapper().readTree(body).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(429);
        assertThat(error.get("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(error.get("message").asText()).isEqualTo("Monthly budget of $100.00 reached for team \"ml\"");
        assertThat(error.at("/details/0/reason").asText()).isEqualTo("BUDGET_EXCEEDED");

        Observation seen = new ExchangeHarness(adapter).request("POST", "/v1beta/models/gemini-2.5-flash:generateContent")
                .requestBody("{}").response(429, body).run().observation();
        assertThat(seen.errorMessage()).isEqualTo("Monthly budget of $100.00 reached for team \"ml\"");
    }

    @ParameterizedTest
    @CsvSource({"400,INVALID_ARGUMENT", "413,INVALID_ARGUMENT", "502,UNAVAILABLE", "504,DEADLINE_EXCEEDED"})
    void errorBodyStatusNamesFollowGoogle(int status, String name) throws Exception {
        JsonNode error = new ObjectMapper().readTree(adapter.errorBody(status, "x", "m")).get("error");
        assertThat(error.get("status").asText()).isEqualTo(name);
        assertThat(error.get("code").asInt()).isEqualTo(status);
    }

    @Test
    void aLongErrorMessageIsCutTo500Characters() {
        String longMessage = "x".repeat(2000);
        Observation o = new ExchangeHarness(adapter).request("POST", "/v1beta/models/gemini-2.5-flash:generateContent")
                .requestBody("{}").response(400, "{\"error\":{\"code\":400,\"message\":\"" + longMessage + "\"}}")
                .run().observation();
        assertThat(o.errorMessage()).hasSize(500);
    }
}
