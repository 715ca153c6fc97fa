package dev.genledger.proxy.elevenlabs;

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
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Speech to text (sync, multichannel, webhook mode) and transcript fetches through the ElevenLabs adapter. */
class ElevenLabsTranscriptionTest {
    private static final String F = "fixtures/elevenlabs/";
    private static final String BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
    private final ElevenLabsAdapter adapter = new ElevenLabsAdapter();

    /** A multipart form: a file part first (as SDKs often send it), then the text fields. */
    static byte[] form(String boundary, byte[] file, String... fields) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp3\"\r\n"
                + "Content-Type: audio/mpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(file);
        for (int i = 0; i < fields.length; i += 2) {
            b.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fields[i] + "\"\r\n\r\n"
                    + fields[i + 1]).getBytes(StandardCharsets.UTF_8));
        }
        b.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    private ExchangeHarness stt(String response, String... fields) {
        return new ExchangeHarness(adapter).request("POST", "/v1/speech-to-text")
                .requestHeader("content-type", "multipart/form-data; boundary=" + BOUNDARY)
                .requestBody(form(BOUNDARY, ElevenLabsSpeechTest.audio(30_000), fields))
                .responseHeaders(text(F + "elevenlabs_stt_headers.txt"))
                .response(200, resource(F + response));
    }

    @Test
    void aTranscriptIsBilledOnItsAudioDuration() {
        Observation o = sameForEverySplit(stt("elevenlabs_stt.json", "model_id", "scribe_v2", "diarize", "true"));
        // audio_duration_secs 1.84 → media seconds; character-cost 2 reported as credits
        assertThat(o.usage()).isEqualTo(Usage.builder().mediaSeconds(new BigDecimal("1.84"))
                .credits(new BigDecimal("2")).build());
        assertThat(o.model()).isEqualTo("scribe_v2");
        assertThat(o.operation()).isEqualTo("transcription");
        assertThat(o.modality()).isEqualTo(Modality.AUDIO);
        assertThat(o.upstreamRequestId()).isEqualTo("4c9d2e7f1a3b5c6d");
        assertThat(o.job()).isEqualTo(AsyncJob.NONE);
        assertThat(o.incomplete()).isFalse();
    }

    @Test
    void aMultichannelTranscriptBillsEveryChannelForTheFullDuration() {
        Observation o = sameForEverySplit(stt("elevenlabs_stt_multichannel_durations.json", "model_id", "scribe_v1",
                "use_multi_channel", "true"));
        // two channels × 12.5 s = 25.0 s
        assertThat(o.usage().mediaSeconds()).isEqualByComparingTo("25.0");
        assertThat(o.usage().estimated()).isFalse();
    }

    @Test
    void aMultichannelTranscriptWithoutDurationsIsEstimatedFromWhereTheWordsEnd() {
        Observation o = sameForEverySplit(stt("elevenlabs_stt_multichannel.json", "model_id", "scribe_v1"));
        // no audio_duration_secs: channel 1 ends at 0.5 s, channel 2 at 0.7 s → 1.2 s, a lower bound
        assertThat(o.usage()).isEqualTo(Usage.builder().mediaSeconds(new BigDecimal("1.2"))
                .credits(new BigDecimal("2")).estimated(true).build());
        assertThat(o.incomplete()).isFalse();
    }

    @Test
    void aTranscriptCutBeforeItsDurationIsIncompleteAndEstimated() {
        byte[] body = resource(F + "elevenlabs_stt.json");
        int beforeDuration = new String(body, StandardCharsets.UTF_8).indexOf("\"transcription_id\"");
        Observation o = sameForEverySplit(stt("elevenlabs_stt.json", "model_id", "scribe_v2")
                .cutAfter(beforeDuration, Ending.CLIENT_ABORTED));
        // the last word seen ends at 0.5 s
        assertThat(o.usage()).isEqualTo(Usage.builder().mediaSeconds(new BigDecimal("0.5"))
                .credits(new BigDecimal("2")).estimated(true).build());
        assertThat(o.incomplete()).isTrue();
    }

    @Test
    void webhookModeStartsAPendingJobUnderTheTranscriptionId() {
        ExchangeHarness h = stt("elevenlabs_stt_webhook_ack.json", "model_id", "scribe_v2", "webhook", "true");
        h.responseHeader("character-cost", "");
        Observation o = sameForEverySplit(h);
        assertThat(o.job()).isEqualTo(new AsyncJob.Started("tr_01JWEBHOOK00000000000000"));
        assertThat(o.upstreamRequestId()).isEqualTo("tr_01JWEBHOOK00000000000000");
        assertThat(o.usage()).isEqualTo(Usage.NONE);
        assertThat(o.model()).isEqualTo("scribe_v2");
    }

    @Test
    void fetchingTheTranscriptFinalisesThePendingJobWithItsDuration() {
        ExchangeHarness h = new ExchangeHarness(adapter).request("GET", "/v1/speech-to-text/transcripts/tr_01JABCDEF0123456789")
                .responseHeader("content-type", "application/json")
                .response(200, resource(F + "elevenlabs_stt.json"));
        Observation o = sameForEverySplit(h);
        assertThat(o.operation()).isEqualTo("poll");
        assertThat(o.modality()).isEqualTo(Modality.NONE);
        assertThat(o.usage()).isEqualTo(Usage.NONE);
        assertThat(o.job()).isEqualTo(new AsyncJob.Finished("tr_01JABCDEF0123456789", 200, null,
                Usage.builder().mediaSeconds(new BigDecimal("1.84")).build(), null));
    }

    @Test
    void aMissingTranscriptFinalisesNothing() {
        Observation o = sameForEverySplit(new ExchangeHarness(adapter).request("GET", "/v1/speech-to-text/transcripts/tr_x")
                .response(404, "{\"detail\":{\"status\":\"transcript_not_found\",\"message\":\"Transcript not found\"}}"));
        assertThat(o.job()).isEqualTo(AsyncJob.NONE);
        assertThat(o.errorMessage()).isEqualTo("Transcript not found");
    }

    @Test
    void aLargeAdditionalFormatBeforeTheDurationParsesWithBoundedHeap() {
        // additional_formats carry whole documents (base64 docx/pdf) inside the JSON
        byte[] body = ("{\"language_code\":\"en\",\"text\":\"Hello\",\"words\":[],\"additional_formats\":[{\"requested_format\":"
                + "\"docx\",\"file_extension\":\"docx\",\"content_type\":\"application/vnd\",\"is_base64_encoded\":true,"
                + "\"content\":\"" + "UEsD".repeat(5_000_000) + "\"}],\"audio_duration_secs\":3600.25}")
                .getBytes(StandardCharsets.US_ASCII);
        Exchange ex = adapter.begin(new RequestInfo("POST", "/v1/speech-to-text", Map.of(),
                HeaderView.of(Map.of("content-type", "multipart/form-data; boundary=" + BOUNDARY)), -1));
        ex.requestBody(ByteBuffer.wrap(form(BOUNDARY, new byte[10], "model_id", "scribe_v1")));
        ex.requestEnd();
        ex.responseHead(200, HeaderView.of(Map.of("content-type", "application/json")));
        long before = ObservationSplits.usedHeap();
        for (int i = 0; i < body.length; i += 16_384) {
            ex.responseBody(ByteBuffer.wrap(body, i, Math.min(16_384, body.length - i)));
        }
        ex.responseEnd();
        long grown = ObservationSplits.usedHeap() - before;
        assertThat(ex.finish(Ending.COMPLETE).usage()).isEqualTo(Usage.builder().mediaSeconds(new BigDecimal("3600.25")).build());
        assertThat(grown).isLessThan(8L * 1024 * 1024);
    }
}
