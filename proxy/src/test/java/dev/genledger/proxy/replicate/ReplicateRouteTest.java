package dev.genledger.proxy.replicate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genledger.ledger.Modality;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.Exchange;
import dev.genledger.proxy.provider.ExchangeHarness;
import dev.genledger.proxy.provider.HeaderView;
import dev.genledger.proxy.provider.Observation;
import dev.genledger.proxy.provider.RequestInfo;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicateRouteTest {
    private final ReplicateAdapter adapter = new ReplicateAdapter();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            POST | /v1/models/black-forest-labs/flux-schnell/predictions | prediction | IMAGE     | black-forest-labs/flux-schnell
            POST | /v1/models/meta/meta-llama-3-70b-instruct/predictions | prediction | TEXT      | meta/meta-llama-3-70b-instruct
            POST | /v1/models/openai/gpt-image-1/predictions            | prediction | IMAGE     | openai/gpt-image-1
            POST | /v1/models/google/veo-3/predictions                  | prediction | VIDEO     | google/veo-3
            POST | /v1/models/openai/whisper/predictions                | prediction | AUDIO     | openai/whisper
            POST | /v1/models/replicate/all-embeddings/predictions      | prediction | EMBEDDING | replicate/all-embeddings
            POST | /v1/deployments/acme/my-model/predictions            | prediction | IMAGE     | acme/my-model
            POST | /v1/predictions                                      | prediction | IMAGE     | -
            GET  | /v1/predictions/abc123                               | poll       | NONE      | -
            POST | /v1/predictions/abc123/cancel                        | cancel     | NONE      | -
            GET  | /v1/predictions                                      | other      | NONE      | -
            GET  | /v1/models/black-forest-labs/flux-schnell            | models     | NONE      | -
            POST | /v1/models/o/n/versions/v/trainings                  | other      | NONE      | -
            GET  | /v1/account                                          | other      | NONE      | -
            POST | /v1/files                                            | files      | NONE      | -
            """)
    void routesAreKnownFromMethodAndPathAlone(String method, String path, String operation, Modality modality, String model) {
        Exchange ex = adapter.begin(new RequestInfo(method, path, Map.of(), HeaderView.EMPTY, -1));
        assertThat(ex.operation()).isEqualTo(operation);
        assertThat(ex.modality()).isEqualTo(modality);
        Observation o = ex.finish(Ending.REJECTED);
        assertThat(o.model()).isEqualTo(model);
        assertThat(o.incomplete()).isFalse();
    }

    @Test
    void errorBodyIsProblemJsonAndReadsBackAsTheMessage() throws Exception {
        byte[] body = adapter.errorBody(429, "budget_exceeded", "Monthly budget reached");
        JsonNode problem = new ObjectMapper().readTree(body);
        assertThat(problem.get("title").asText()).isEqualTo("Budget exceeded");
        assertThat(problem.get("detail").asText()).isEqualTo("Monthly budget reached");
        assertThat(problem.get("status").asInt()).isEqualTo(429);

        Observation seen = new ExchangeHarness(adapter).request("POST", "/v1/predictions")
                .requestBody("{\"version\":\"abc\"}").response(429, body).run().observation();
        assertThat(seen.errorMessage()).isEqualTo("Monthly budget reached");
    }
}
