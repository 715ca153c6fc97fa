package dev.genledger.proxy.elevenlabs;

import static dev.genledger.proxy.provider.ExchangeHarness.resource;
import static dev.genledger.proxy.provider.ExchangeHarness.text;
import static dev.genledger.proxy.provider.ObservationSplits.sameForEverySplit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.ledger.Modality;
import dev.genledger.pricing.Usage;
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
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Text to speech, dialogue, sound effects, music and speech to speech through the ElevenLabs adapter. */
class ElevenLabsSpeechTest {
    private static final String F = "fixtures/elevenlabs/";
    private static final String VOICE = "/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM";
    private final ElevenLabsAdapter adapter = new ElevenLabsAdapter();

    /** Stand-in MP3 bytes: the adapter only counts audio. */
    static byte[] audio(int bytes) {
        byte[] b = new byte[bytes];
        new Random(bytes).nextBytes(b);
        return b;
    }

    private ExchangeHarness tts(String path, String request, String headers, byte[] body) {
        return new ExchangeHarness(adapter)
                .request("POST", path)
                .requestBody(text(F + request))
                .responseHeaders(text(F + headers))
                .response(200, body);
    }

    @Test
    void textToSpeechTakesCreditsFromTheHeaderAndCharactersFromTheText() {
        Observation o = sameForEverySplit(tts(VOICE + "?output_format=mp3_44100_128", "elevenlabs_tts_request.json",
                "elevenlabs_tts_headers.txt", audio(40_000)));
        // "The first move is what sets everything in motion." = 49 characters; character-cost: 49
        assertThat(o.usage()).isEqualTo(Usage.builder().characters(49).credits(new BigDecimal("49")).build());
        assertThat(o.model()).isEqualTo("eleven_multilingual_v2");
        assertThat(o.operation()).isEqualTo("speech");
        assertThat(o.modality()).isEqualTo(Modality.AUDIO);
        assertThat(o.upstreamRequestId()).isEqualTo("OgDy9eSGGYSpJ3Lnmh9p");
        assertThat(o.streamed()).isFalse();
        assertThat(o.incomplete()).isFalse();
    }

    @Test
    void creditsAreNotCharacters() {
        Observation o = sameForEverySplit(tts(VOICE, "elevenlabs_tts_flash_request.json", "elevenlabs_tts_flash_headers.txt",
                audio(3_000)));
        // "Test." = 5 characters on Flash → character-cost 2 (0.5 credit a character, rounded by ElevenLabs)
        assertThat(o.usage()).isEqualTo(Usage.builder().characters(5).credits(new BigDecimal("2")).build());
        assertThat(o.model()).isEqualTo("eleven_flash_v2_5");
        assertThat(o.upstreamRequestId()).isEqualTo("7b1f3a9c2d4e5f60");
    }

    @Test
    void aRequestWithoutModelIdIsRecordedWithTheApiDefault() {
        Observation o = sameForEverySplit(tts(VOICE, "elevenlabs_tts_no_model_request.json", "elevenlabs_tts_headers.txt",
                audio(3_000)));
        assertThat(o.model()).isEqualTo("eleven_multilingual_v2");
        // "No model_id: the API defaults to eleven_multilingual_v2." = 56 characters
        assertThat(o.usage().characters()).isEqualTo(56);
    }

    @Test
    void withoutTheCharacterCostHeaderTheCharactersStayAndAreEstimated() {
        ExchangeHarness h = new ExchangeHarness(adapter).request("POST", VOICE)
                .requestBody(text(F + "elevenlabs_tts_no_model_request.json"))
                .responseHeader("content-type", "audio/mpeg").responseHeader("request-id", "r-1")
                .response(200, audio(3_000));
        Observation o = sameForEverySplit(h);
        assertThat(o.usage()).isEqualTo(Usage.builder().characters(56).estimated(true).build());
        assertThat(o.incomplete()).isFalse();
    }

    @Test
    void aStreamCutByTheClientIsStillMeteredExactly() {
        ExchangeHarness h = tts(VOICE + "/stream", "elevenlabs_tts_request.json", "elevenlabs_tts_headers.txt", audio(40_000))
                .cutAfter(9_000, Ending.CLIENT_ABORTED);
        Observation o = sameForEverySplit(h);
        // the header came before the first audio byte: credits 49 are known; ElevenLabs bills the request
        assertThat(o.usage()).isEqualTo(Usage.builder().characters(49).credits(new BigDecimal("49")).build());
        assertThat(o.streamed()).isTrue();
        assertThat(o.incomplete()).isFalse();
    }

    @Test
    void aStreamCutWithoutTheHeaderIsIncompleteAndEstimated() {
        ExchangeHarness h = new ExchangeHarness(adapter).request("POST", VOICE + "/stream")
                .requestBody(text(F + "elevenlabs_tts_request.json"))
                .responseHeader("content-type", "audio/mpeg")
                .response(200, audio(40_000)).cutAfter(9_000, Ending.UPSTREAM_FAILED);
        Observation o = sameForEverySplit(h);
        assertThat(o.usage()).isEqualTo(Usage.builder().characters(49).estimated(true).build());
        assertThat(o.incomplete()).isTrue();
    }

    @Test
    void withTimestampsJsonIsMeteredByTheHeader() {
        Observation o = sameForEverySplit(tts(VOICE + "/with-timestamps", "elevenlabs_tts_request.json",
                "elevenlabs_tts_headers.txt", resource(F + "elevenlabs_tts_with_timestamps.json"))
                .responseHeader("content-type", "application/json"));
        assertThat(o.usage()).isEqualTo(Usage.builder().characters(49).credits(new BigDecimal("49")).build());
        assertThat(o.streamed()).isFalse();
    }

    @Test
    void streamWithTimestampsNdjsonIsAStreamMeteredByTheHeader() {
        Observation o = sameForEverySplit(tts(VOICE + "/stream/with-timestamps", "elevenlabs_tts_request.json",
                "elevenlabs_tts_headers.txt", resource(F + "elevenlabs_tts_stream_with_timestamps.ndjson")));
        assertThat(o.usage()).isEqualTo(Usage.builder().characters(49).credits(new BigDecimal("49")).build());
        assertThat(o.streamed()).isTrue();
    }

    @Test
    void dialogueCountsTheTextOfEveryInputIncludingTags() {
        Observation o = sameForEverySplit(tts("/v1/text-to-dialogue", "elevenlabs_dialogue_request.json",
                "elevenlabs_dialogue_headers.txt", audio(20_000)));
        // "[cheerfully] Hello!" 19 + "[sighs] Hi there." 17 = 36 characters; character-cost: 36
        assertThat(o.usage()).isEqualTo(Usage.builder().characters(36).credits(new BigDecimal("36")).build());
        assertThat(o.operation()).isEqualTo("dialogue");
        assertThat(o.model()).isEqualTo("eleven_v3");
        assertThat(o.upstreamRequestId()).isEqualTo("d1a2b3c4d5e6f7a8");
    }

    @Test
    void soundGenerationTakesCreditsAndTheSecondsAskedFor() {
        Observation o = sameForEverySplit(tts("/v1/sound-generation", "elevenlabs_sound_generation_request.json",
                "elevenlabs_sound_generation_headers.txt", audio(32_000)));
        // character-cost: 20 credits; duration_seconds 2.0; the prompt text is not a billed character count
        assertThat(o.usage()).isEqualTo(Usage.builder().credits(new BigDecimal("20"))
                .mediaSeconds(new BigDecimal("2.0")).build());
        assertThat(o.operation()).isEqualTo("sound");
        assertThat(o.model()).isEqualTo("eleven_text_to_sound_v2"); // the API default; the request names none
        assertThat(o.upstreamRequestId()).isEqualTo("9a8b7c6d5e4f3a2b");
    }

    @Test
    void musicIsMeteredByTheLengthAskedFor() {
        Observation o = sameForEverySplit(tts("/v1/music", "elevenlabs_music_request.json", "elevenlabs_music_headers.txt",
                audio(100_000)));
        // music_length_ms 30000 → 30 s; no character-cost on music
        assertThat(o.usage()).isEqualTo(Usage.builder().mediaSeconds(new BigDecimal("30")).build());
        assertThat(o.operation()).isEqualTo("music");
        assertThat(o.model()).isEqualTo("music_v1");
        assertThat(o.upstreamRequestId()).isEqualTo("5e6f7a8b9c0d1e2f");
    }

    @Test
    void musicFromACompositionPlanSumsItsSections() {
        Observation o = sameForEverySplit(tts("/v1/music/detailed", "elevenlabs_music_plan_request.json",
                "elevenlabs_music_headers.txt", audio(100_000)));
        // 15000 + 20000 ms = 35 s
        assertThat(o.usage()).isEqualTo(Usage.builder().mediaSeconds(new BigDecimal("35")).build());
    }

    @Test
    void musicWithoutALengthIsEstimatedFromTheAudioReceived() {
        Observation o = sameForEverySplit(tts("/v1/music/stream", "elevenlabs_music_no_length_request.json",
                "elevenlabs_music_headers.txt", audio(480_000)));
        // default output mp3_44100_128 = 128,000 bit/s = 16,000 bytes/s; 480,000 bytes / 16,000 = 30 s, estimated
        assertThat(o.usage()).isEqualTo(Usage.builder().mediaSeconds(new BigDecimal("30.000")).estimated(true).build());
        assertThat(o.streamed()).isTrue();
        assertThat(o.model()).isEqualTo("music_v1");
    }

    @Test
    void musicCutShortWithoutALengthIsALowerBound() {
        Observation o = sameForEverySplit(tts("/v1/music/stream?output_format=pcm_24000",
                "elevenlabs_music_no_length_request.json", "elevenlabs_music_headers.txt", audio(480_000))
                .cutAfter(120_000, Ending.CLIENT_ABORTED));
        // pcm_24000 = 24,000 samples/s × 2 bytes = 48,000 bytes/s; 120,000 / 48,000 = 2.5 s
        assertThat(o.usage()).isEqualTo(Usage.builder().mediaSeconds(new BigDecimal("2.500")).estimated(true).build());
        assertThat(o.incomplete()).isTrue();
    }

    @Test
    void speechToSpeechReadsTheModelFromTheFormAndCreditsFromTheHeader() {
        String boundary = "----sts7MA4YWxkTrZu0gW";
        ExchangeHarness h = new ExchangeHarness(adapter).request("POST", "/v1/speech-to-speech/JBFqnCBsd6RMkjVDRZzb")
                .requestHeader("content-type", "multipart/form-data; boundary=" + boundary)
                .requestBody(ElevenLabsTranscriptionTest.form(boundary, audio(50_000),
                        "model_id", "eleven_multilingual_sts_v2"))
                .responseHeader("content-type", "audio/mpeg").responseHeader("request-id", "sts-1")
                .responseHeader("character-cost", "150")
                .response(200, audio(30_000));
        Observation o = sameForEverySplit(h);
        assertThat(o.usage()).isEqualTo(Usage.builder().credits(new BigDecimal("150")).build());
        assertThat(o.model()).isEqualTo("eleven_multilingual_sts_v2");
        assertThat(o.operation()).isEqualTo("speech_to_speech");
    }

    @Test
    void speechToSpeechWithoutTheHeaderEstimatesSecondsFromTheAudio() {
        String boundary = "b0undary";
        ExchangeHarness h = new ExchangeHarness(adapter).request("POST", "/v1/speech-to-speech/JBFqnCBsd6RMkjVDRZzb/stream")
                .requestHeader("content-type", "multipart/form-data; boundary=" + boundary)
                .requestBody(ElevenLabsTranscriptionTest.form(boundary, audio(10_000)))
                .responseHeader("content-type", "audio/mpeg")
                .response(200, audio(48_000));
        Observation o = sameForEverySplit(h);
        // 48,000 bytes of mp3_44100_128 (16,000 bytes/s) = 3 s; the model is the API default
        assertThat(o.usage()).isEqualTo(Usage.builder().mediaSeconds(new BigDecimal("3.000")).estimated(true).build());
        assertThat(o.model()).isEqualTo("eleven_english_sts_v2");
        assertThat(o.streamed()).isTrue();
    }

    @Test
    void anInvalidKeyErrorTakesItsMessageAndTheRequestIdFromTheBody() {
        Observation o = sameForEverySplit(new ExchangeHarness(adapter).request("POST", VOICE)
                .requestBody(text(F + "elevenlabs_tts_request.json"))
                .responseHeaders(text(F + "elevenlabs_error_headers.txt"))
                .response(401, resource(F + "elevenlabs_error_401_invalid_key.json")));
        assertThat(o.errorMessage()).isEqualTo("Invalid API key");
        assertThat(o.upstreamRequestId()).isEqualTo("1c1689d894474556068cd3dcd145df7f"); // no request-id header
        assertThat(o.usage()).isEqualTo(Usage.NONE);
        assertThat(o.model()).isEqualTo("eleven_multilingual_v2");
    }

    @Test
    void theLegacyQuotaErrorAndValidationErrorsGiveTheirMessages() {
        Observation quota = sameForEverySplit(new ExchangeHarness(adapter).request("POST", VOICE)
                .requestBody(text(F + "elevenlabs_tts_request.json"))
                .response(401, resource(F + "elevenlabs_error_401_quota_legacy.json")));
        assertThat(quota.errorMessage()).isEqualTo("This request exceeds your quota of 10000. You have 12 credits "
                + "remaining, while 57 credits are required for this request.");
        assertThat(quota.usage()).isEqualTo(Usage.NONE);

        Observation invalid = sameForEverySplit(new ExchangeHarness(adapter).request("POST", VOICE)
                .requestBody(text(F + "elevenlabs_tts_request.json"))
                .response(422, resource(F + "elevenlabs_error_422.json")));
        assertThat(invalid.errorMessage()).isEqualTo("Input should be less than or equal to 1");
        assertThat(invalid.upstreamRequestId()).isNull();
    }

    @Test
    void aTwentyMegabyteTimestampsBodyIsCountedWithBoundedHeap() {
        byte[] body = ("{\"audio_base64\":\"" + "SUQz".repeat(5_000_000) + "\",\"alignment\":null}")
                .getBytes(StandardCharsets.US_ASCII);
        Exchange ex = adapter.begin(new RequestInfo("POST", VOICE + "/with-timestamps", Map.of(),
                HeaderView.of(Map.of("content-type", "application/json")), -1));
        ex.requestBody(ByteBuffer.wrap(resource(F + "elevenlabs_tts_request.json")));
        ex.requestEnd();
        ex.responseHead(200, HeaderView.of(Map.of("character-cost", "49", "request-id", "r")));
        long before = ObservationSplits.usedHeap();
        for (int i = 0; i < body.length; i += 16_384) {
            ex.responseBody(ByteBuffer.wrap(body, i, Math.min(16_384, body.length - i)));
        }
        ex.responseEnd();
        long grown = ObservationSplits.usedHeap() - before;
        assertThat(ex.finish(Ending.COMPLETE).usage())
                .isEqualTo(Usage.builder().characters(49).credits(new BigDecimal("49")).build());
        assertThat(grown).isLessThan(8L * 1024 * 1024);
    }
}
