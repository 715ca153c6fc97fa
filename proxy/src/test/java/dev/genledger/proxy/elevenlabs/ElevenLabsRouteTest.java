package dev.genledger.proxy.elevenlabs;

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

class ElevenLabsRouteTest {
    private final ElevenLabsAdapter adapter = new ElevenLabsAdapter();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            POST | /v1/text-to-speech/v1                          | speech           | AUDIO | false | eleven_multilingual_v2
            POST | /v1/text-to-speech/v1/stream                   | speech           | AUDIO | true  | eleven_multilingual_v2
            POST | /v1/text-to-speech/v1/with-timestamps          | speech           | AUDIO | false | eleven_multilingual_v2
            POST | /v1/text-to-speech/v1/stream/with-timestamps   | speech           | AUDIO | true  | eleven_multilingual_v2
            POST | /v1/text-to-dialogue                           | dialogue         | AUDIO | false | eleven_v3
            POST | /v1/text-to-dialogue/stream                    | dialogue         | AUDIO | true  | eleven_v3
            POST | /v1/sound-generation                           | sound            | AUDIO | false | eleven_text_to_sound_v2
            POST | /v1/music                                      | music            | AUDIO | false | music_v1
            POST | /v1/music/detailed                             | music            | AUDIO | false | music_v1
            POST | /v1/music/stream                               | music            | AUDIO | true  | music_v1
            POST | /v1/music/plan                                 | other            | NONE  | false | -
            POST | /v1/speech-to-speech/v1                        | speech_to_speech | AUDIO | false | eleven_english_sts_v2
            POST | /v1/speech-to-speech/v1/stream                 | speech_to_speech | AUDIO | true  | eleven_english_sts_v2
            POST | /v1/speech-to-text                             | transcription    | AUDIO | false | -
            GET  | /v1/speech-to-text/transcripts/tr_1            | poll             | NONE  | false | -
            GET  | /v1/models                                     | models           | NONE  | false | -
            GET  | /v1/voices                                     | other            | NONE  | false | -
            GET  | /v1/text-to-speech/v1/stream-input             | other            | NONE  | false | -
            POST | /v1/audio-isolation                            | other            | NONE  | false | -
            GET  | /health                                        | other            | NONE  | false | -
            """)
    void routesAreKnownFromMethodAndPathAlone(String method, String path, String operation, Modality modality,
                                             boolean streamed, String defaultModel) {
        Exchange ex = adapter.begin(new RequestInfo(method, path, Map.of(), HeaderView.EMPTY, -1));
        assertThat(ex.operation()).isEqualTo(operation);
        assertThat(ex.modality()).isEqualTo(modality);
        Observation o = ex.finish(Ending.REJECTED);
        assertThat(o.streamed()).isEqualTo(streamed);
        assertThat(o.model()).isEqualTo(defaultModel);
    }

    @Test
    void errorBodyIsElevenLabsShapeAndReadsBackAsTheMessage() throws Exception {
        byte[] body = adapter.errorBody(429, "budget_exceeded", "Monthly budget reached");
        JsonNode detail = new ObjectMapper().readTree(body).get("detail");
        assertThat(detail.get("type").asText()).isEqualTo("rate_limit_error");
        assertThat(detail.get("code").asText()).isEqualTo("budget_exceeded");
        assertThat(detail.get("status").asText()).isEqualTo("budget_exceeded");
        assertThat(detail.get("message").asText()).isEqualTo("Monthly budget reached");

        Observation seen = new ExchangeHarness(adapter).request("POST", "/v1/text-to-speech/v1")
                .requestBody("{\"text\":\"hi\"}").response(429, body).run().observation();
        assertThat(seen.errorMessage()).isEqualTo("Monthly budget reached");
    }

    @Test
    void errorTypesFollowTheStatus() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(adapter.errorBody(413, "too_large", "m")).at("/detail/type").asText())
                .isEqualTo("invalid_request");
        assertThat(json.readTree(adapter.errorBody(502, "upstream_unreachable", "m")).at("/detail/type").asText())
                .isEqualTo("service_unavailable");
    }
}
