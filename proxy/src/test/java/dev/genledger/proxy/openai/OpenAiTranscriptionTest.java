package dev.genledger.proxy.openai;

import static dev.genledger.proxy.openai.Observe.afterEvent;
import static dev.genledger.proxy.openai.Observe.everyWay;
import static dev.genledger.proxy.openai.Observe.fixture;
import static dev.genledger.proxy.openai.Observe.observation;
import static dev.genledger.proxy.openai.Observe.openai;
import static dev.genledger.proxy.openai.Observe.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.ledger.Modality;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.ExchangeHarness;
import dev.genledger.proxy.provider.Observation;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class OpenAiTranscriptionTest {
    private static ExchangeHarness transcribe(String path, Form form) {
        return openai().request("POST", path).requestHeader("content-type", Form.contentType()).requestBody(form.bytes());
    }

    private static Form upload(String model) {
        return new Form().file("file", "speech.mp3", "audio/mpeg", OpenAiSpeechTest.threeSecondsOfMp3()).field("model", model);
    }

    @Test
    void aTokenBilledTranscriptionReportsAudioInputTokens() {
        Observation o = observation(transcribe("/v1/audio/transcriptions", upload("gpt-4o-transcribe"))
                .response(200, text("openai_transcription_gpt-4o-transcribe.json"))
                .responseHeader("content-type", "application/json").responseHeader("x-request-id", "req_tr"));

        // usage.type tokens: input 14 (audio 14, text 0), output 45
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(14).inputAudioTokens(14).outputTokens(45).build());
        assertThat(o.operation()).isEqualTo("transcription");
        assertThat(o.modality()).isEqualTo(Modality.AUDIO);
        assertThat(o.model()).isEqualTo("gpt-4o-transcribe");
        assertThat(o.streamed()).isFalse();
        assertThat(o.upstreamRequestId()).isEqualTo("req_tr");
    }

    @Test
    void durationBilledTranscriptionsReportTheBilledSecondsNotTheAudioLength() {
        Observation verbose = observation(transcribe("/v1/audio/transcriptions",
                upload("whisper-1").field("response_format", "verbose_json"))
                .response(200, text("openai_transcription_whisper_verbose.json"))
                .responseHeader("content-type", "application/json"));
        // usage.seconds 9 (the audio is 8.47 s, billed rounded up)
        assertThat(verbose.usage()).isEqualTo(Usage.builder().mediaSeconds(new BigDecimal("9")).build());

        Observation json = observation(transcribe("/v1/audio/transcriptions", upload("whisper-1"))
                .response(200, text("openai_transcription_whisper_json.json"))
                .responseHeader("content-type", "application/json"));
        assertThat(json.usage()).isEqualTo(Usage.builder().mediaSeconds(new BigDecimal("9")).build());

        Observation diarize = observation(transcribe("/v1/audio/transcriptions",
                upload("gpt-4o-transcribe-diarize").field("response_format", "diarized_json"))
                .response(200, text("openai_transcription_diarize.json"))
                .responseHeader("content-type", "application/json"));
        // usage.seconds 27 (duration 27.4)
        assertThat(diarize.usage()).isEqualTo(Usage.builder().mediaSeconds(new BigDecimal("27")).build());
        assertThat(diarize.model()).isEqualTo("gpt-4o-transcribe-diarize");
    }

    @Test
    void verboseJsonWithoutUsageFallsBackToTheReportedDuration() {
        String noUsage = text("openai_transcription_whisper_verbose.json")
                .replaceAll("(?s),\\s*\"usage\": \\{[^}]*\\}", "");
        Observation o = observation(transcribe("/v1/audio/transcriptions",
                upload("whisper-1").field("response_format", "verbose_json"))
                .response(200, noUsage).responseHeader("content-type", "application/json"));

        assertThat(o.usage()).isEqualTo(Usage.builder().mediaSeconds(new BigDecimal("8.470000267028809"))
                .estimated(true).build());
        assertThat(o.incomplete()).isFalse();
    }

    @Test
    void plainTextSrtAndVttHaveNoUsageAndSaySo() {
        for (String[] c : new String[][] {{"text", "openai_transcription_whisper.txt"},
                {"srt", "openai_transcription_whisper.srt"}}) {
            Observation o = observation(transcribe("/v1/audio/transcriptions",
                    upload("whisper-1").field("response_format", c[0]))
                    .response(200, fixture(c[1])).responseHeader("content-type", "text/plain; charset=utf-8"));
            assertThat(o.usage()).as(c[0]).isEqualTo(Usage.builder().estimated(true).build());
            assertThat(o.incomplete()).as(c[0]).isTrue();
            assertThat(o.model()).isEqualTo("whisper-1");
        }
    }

    @Test
    void aTranscriptionStreamReportsItsDoneEventsUsage() {
        ExchangeHarness.Result r = everyWay(transcribe("/v1/audio/transcriptions",
                upload("gpt-4o-mini-transcribe").field("stream", "true"))
                .response(200, fixture("openai_transcription_stream.sse"))
                .responseHeader("content-type", "text/event-stream"));

        assertThat(r.observation().usage()).isEqualTo(Usage.builder().inputTokens(14).inputAudioTokens(14)
                .outputTokens(45).build());
        assertThat(r.observation().streamed()).isTrue();
        assertThat(r.clientText()).isEqualTo(text("openai_transcription_stream.sse"));
    }

    @Test
    void aTranscriptionStreamCutBeforeDoneCountsItsDeltas() {
        byte[] sse = fixture("openai_transcription_stream.sse");
        Observation o = observation(transcribe("/v1/audio/transcriptions",
                upload("gpt-4o-mini-transcribe").field("stream", "true"))
                .response(200, sse).responseHeader("content-type", "text/event-stream")
                .cutAfter(afterEvent(sse, 2), Ending.CLIENT_ABORTED));

        // two transcript.text.delta events, about a token each; the audio input is unknown
        assertThat(o.usage()).isEqualTo(Usage.builder().outputTokens(2).estimated(true).build());
        assertThat(o.incomplete()).isTrue();
    }

    @Test
    void aTranslationIsMeteredLikeATranscription() {
        Observation o = observation(transcribe("/v1/audio/translations", upload("whisper-1"))
                .response(200, text("openai_transcription_whisper_json.json"))
                .responseHeader("content-type", "application/json"));
        assertThat(o.operation()).isEqualTo("translation");
        assertThat(o.usage()).isEqualTo(Usage.builder().mediaSeconds(new BigDecimal("9")).build());

        Observation noUsage = observation(transcribe("/v1/audio/translations", upload("whisper-1"))
                .response(200, "{\"text\":\"Hello, my name is Wolfgang.\"}")
                .responseHeader("content-type", "application/json"));
        assertThat(noUsage.usage()).isEqualTo(Usage.builder().estimated(true).build());
        assertThat(noUsage.incomplete()).isTrue();
    }

    @Test
    void aTranscriptionErrorHasTheMessageAndNoUsage() {
        Observation o = observation(transcribe("/v1/audio/transcriptions", upload("whisper-1"))
                .response(400, "{\"error\":{\"message\":\"Invalid file format.\",\"type\":\"invalid_request_error\","
                        + "\"param\":null,\"code\":null}}").responseHeader("content-type", "application/json"));
        assertThat(o.usage()).isEqualTo(Usage.NONE);
        assertThat(o.errorMessage()).isEqualTo("Invalid file format.");
        assertThat(o.model()).isEqualTo("whisper-1");
    }
}
