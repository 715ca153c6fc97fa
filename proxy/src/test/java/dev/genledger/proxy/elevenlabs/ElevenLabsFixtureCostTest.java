package dev.genledger.proxy.elevenlabs;

import static dev.genledger.proxy.provider.ExchangeHarness.resource;
import static dev.genledger.proxy.provider.ExchangeHarness.text;
import static dev.genledger.proxy.provider.FixtureCosts.assertCost;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.ExchangeHarness;
import dev.genledger.proxy.provider.FixtureCosts;
import dev.genledger.proxy.provider.Observation;
import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

/**
 * Every ElevenLabs fixture of a billable generation through the adapter and the bundled catalog,
 * on 2026-11-01, with the expected cost worked out by hand (issue 5). What the {@code character-cost}
 * header reports is billed as credits × $0.0001 (the default pay-as-you-go price per credit), and
 * then neither characters nor seconds are billed; without the header the model's own rate applies.
 * Audio bodies are stand-in bytes: ElevenLabs audio carries no usage.
 */
class ElevenLabsFixtureCostTest {
    private static final String F = "fixtures/elevenlabs/";
    private static final String VOICE = "/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM";
    private static final String BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
    private static final FixtureCosts COSTS = new FixtureCosts("elevenlabs");

    private final ElevenLabsAdapter adapter = new ElevenLabsAdapter();

    private static Observation run(ExchangeHarness h) {
        return h.run().observation();
    }

    private ExchangeHarness post(String path, String request, String headers, byte[] body) {
        return new ExchangeHarness(adapter).request("POST", path).requestBody(text(F + request))
                .responseHeaders(text(F + headers)).response(200, body);
    }

    private ExchangeHarness stt(String response, String... fields) {
        return new ExchangeHarness(adapter).request("POST", "/v1/speech-to-text")
                .requestHeader("content-type", "multipart/form-data; boundary=" + BOUNDARY)
                .requestBody(ElevenLabsTranscriptionTest.form(BOUNDARY, ElevenLabsSpeechTest.audio(30_000), fields))
                .response(200, resource(F + response));
    }

    /** seconds × $0.22 an hour, as exact as the catalog divides: 34 significant digits. */
    private static String scribe(String seconds) {
        return new BigDecimal(seconds).multiply(new BigDecimal("0.22")).divide(new BigDecimal("3600"), MathContext.DECIMAL128)
                .toPlainString();
    }

    // ------------------------------------------------------------------ speech

    @Test
    void textToSpeechIsPricedByTheCreditsItReported() {
        Observation o = run(post(VOICE + "?output_format=mp3_44100_128", "elevenlabs_tts_request.json",
                "elevenlabs_tts_headers.txt", ElevenLabsSpeechTest.audio(40_000)));

        // character-cost 49 × $0.0001 = 0.0049 (the 49 characters are not billed again)
        assertCost(COSTS.of(o), "elevenlabs/eleven_multilingual_v2@2026-06-01", "0.0049", "0", "0", "0.0049");
    }

    @Test
    void flashIsPricedByItsHalfCredits() {
        Observation o = run(post(VOICE, "elevenlabs_tts_flash_request.json", "elevenlabs_tts_flash_headers.txt",
                ElevenLabsSpeechTest.audio(3_000)));

        // "Test." 5 characters on Flash → character-cost 2 × $0.0001 = 0.0002
        assertCost(COSTS.of(o), "elevenlabs/eleven_flash_v2_5@2026-06-01", "0.0002", "0", "0", "0.0002");
    }

    @Test
    void speechWithoutTheHeaderIsPricedPerCharacterOfTheDefaultModel() {
        Observation o = run(new ExchangeHarness(adapter).request("POST", VOICE)
                .requestBody(text(F + "elevenlabs_tts_no_model_request.json"))
                .responseHeader("content-type", "audio/mpeg").responseHeader("request-id", "r-1")
                .response(200, ElevenLabsSpeechTest.audio(3_000)));

        assertThat(o.usage().estimated()).isTrue();
        // no model_id → eleven_multilingual_v2; no character-cost → 56 characters × $100/1M characters = 0.0056
        assertCost(COSTS.of(o), "elevenlabs/eleven_multilingual_v2@2026-06-01", "0.0056", "0", "0", "0.0056");
    }

    @Test
    void speechWithTimestampsIsPricedByTheCreditsLikePlainSpeech() {
        Observation json = run(post(VOICE + "/with-timestamps", "elevenlabs_tts_request.json",
                "elevenlabs_tts_headers.txt", resource(F + "elevenlabs_tts_with_timestamps.json"))
                .responseHeader("content-type", "application/json"));
        Observation ndjson = run(post(VOICE + "/stream/with-timestamps", "elevenlabs_tts_request.json",
                "elevenlabs_tts_headers.txt", resource(F + "elevenlabs_tts_stream_with_timestamps.ndjson")));

        // character-cost 49 × $0.0001 = 0.0049, whatever the body format
        assertCost(COSTS.of(json), "elevenlabs/eleven_multilingual_v2@2026-06-01", "0.0049", "0", "0", "0.0049");
        assertCost(COSTS.of(ndjson), "elevenlabs/eleven_multilingual_v2@2026-06-01", "0.0049", "0", "0", "0.0049");
    }

    @Test
    void dialogueIsPricedByTheCreditsItReported() {
        Observation o = run(post("/v1/text-to-dialogue", "elevenlabs_dialogue_request.json",
                "elevenlabs_dialogue_headers.txt", ElevenLabsSpeechTest.audio(20_000)));

        // eleven_v3: character-cost 36 × $0.0001 = 0.0036
        assertCost(COSTS.of(o), "elevenlabs/eleven_v3@2026-06-01", "0.0036", "0", "0", "0.0036");
    }

    @Test
    void soundEffectIsPricedByTheCreditsNotTheSeconds() {
        Observation o = run(post("/v1/sound-generation", "elevenlabs_sound_generation_request.json",
                "elevenlabs_sound_generation_headers.txt", ElevenLabsSpeechTest.audio(32_000)));

        // eleven_text_to_sound_v2: character-cost 20 × $0.0001 = 0.002 (the 2.0 s asked for are not billed)
        assertCost(COSTS.of(o), "elevenlabs/eleven_text_to_sound_v2@2026-06-01", "0.002", "0", "0", "0.002");
    }

    @Test
    void musicIsPricedPerMinuteOfTheLengthAskedFor() {
        Observation length = run(post("/v1/music", "elevenlabs_music_request.json", "elevenlabs_music_headers.txt",
                ElevenLabsSpeechTest.audio(100_000)));
        Observation plan = run(post("/v1/music/detailed", "elevenlabs_music_plan_request.json",
                "elevenlabs_music_headers.txt", ElevenLabsSpeechTest.audio(100_000)));
        Observation noLength = run(post("/v1/music/stream", "elevenlabs_music_no_length_request.json",
                "elevenlabs_music_headers.txt", ElevenLabsSpeechTest.audio(480_000)));

        // music_v1, no character-cost on music: 30000 ms = 30 s × $0.30/min = 30 × 0.30 / 60 = 0.15
        assertCost(COSTS.of(length), "elevenlabs/music_v1@2026-06-01", "0.15", "0", "0", "0.15");
        // sections 15000 + 20000 ms = 35 s × 0.30 / 60 = 0.175
        assertCost(COSTS.of(plan), "elevenlabs/music_v1@2026-06-01", "0.175", "0", "0", "0.175");
        // no length: 480,000 bytes of mp3_44100_128 (16,000 bytes/s) = 30 s (estimated) × 0.30 / 60 = 0.15
        assertThat(noLength.usage().estimated()).isTrue();
        assertCost(COSTS.of(noLength), "elevenlabs/music_v1@2026-06-01", "0.15", "0", "0", "0.15");
    }

    // ------------------------------------------------------------------ speech to text

    @Test
    void transcriptWithTheHeaderIsPricedByItsCreditsNotItsDuration() {
        Observation o = run(stt("elevenlabs_stt.json", "model_id", "scribe_v2", "diarize", "true")
                .responseHeaders(text(F + "elevenlabs_stt_headers.txt")));

        // character-cost 2 × $0.0001 = 0.0002 (= the fiat-cost-before-overages header);
        // audio_duration_secs 1.84 is not billed as well
        assertThat(o.usage().mediaSeconds()).isEqualByComparingTo("1.84");
        assertCost(COSTS.of(o), "elevenlabs/scribe_v2@2026-06-01", "0.0002", "0", "0", "0.0002");
    }

    @Test
    void multichannelTranscriptsArePricedPerHourOfEveryChannel() {
        // elevenlabs_stt_headers.txt reports the credits of the 1.84 s single-channel transcript; these
        // two bodies come without a header file, so they are priced on their seconds
        Observation durations = run(stt("elevenlabs_stt_multichannel_durations.json", "model_id", "scribe_v1",
                "use_multi_channel", "true").responseHeader("content-type", "application/json"));
        Observation noDurations = run(stt("elevenlabs_stt_multichannel.json", "model_id", "scribe_v1")
                .responseHeader("content-type", "application/json"));

        // 2 channels × 12.5 s = 25.0 s × $0.22/h = 25.0 × 0.22 / 3600 = 0.0015277…
        String both = scribe("25.0");
        assertThat(both).startsWith("0.00152777");
        assertCost(COSTS.of(durations), "elevenlabs/scribe_v1@2026-06-01", both, "0", "0", both);
        // no durations: words end at 0.5 s and 0.7 s → 1.2 s (estimated) × 0.22 / 3600 = 0.0000733…
        String ends = scribe("1.2");
        assertThat(ends).startsWith("0.0000733");
        assertThat(noDurations.usage().estimated()).isTrue();
        assertCost(COSTS.of(noDurations), "elevenlabs/scribe_v1@2026-06-01", ends, "0", "0", ends);
    }

    @Test
    void webhookTranscriptIsPendingUntilItsFetchPricesTheDuration() {
        ExchangeHarness ack = stt("elevenlabs_stt_webhook_ack.json", "model_id", "scribe_v2", "webhook", "true")
                .responseHeader("content-type", "application/json").responseHeader("request-id", "4c9d2e7f1a3b5c6d");
        Observation created = run(ack);
        assertThat(created.job()).isEqualTo(new AsyncJob.Started("tr_01JWEBHOOK00000000000000"));
        assertThat(created.usage().isEmpty()).isTrue();

        Observation fetch = run(new ExchangeHarness(adapter)
                .request("GET", "/v1/speech-to-text/transcripts/tr_01JWEBHOOK00000000000000")
                .responseHeader("content-type", "application/json").response(200, resource(F + "elevenlabs_stt.json")));
        // the ack and the transcript are separate reconstructions, so their transcription_ids differ; in
        // traffic the fetch names the acknowledged id and the ledger finds the pending row by it
        AsyncJob.Finished done = (AsyncJob.Finished) fetch.job();

        // the fetch reports no credits: audio_duration_secs 1.84 × $0.22/h = 1.84 × 0.22 / 3600 = 0.000112444…
        String cost = scribe("1.84");
        assertThat(cost).startsWith("0.000112444");
        assertCost(COSTS.finalised(created, done), "elevenlabs/scribe_v2@2026-06-01", cost, "0", "0", cost);
    }

    // ------------------------------------------------------------------ errors

    @Test
    void errorResponsesCountNothing() {
        Observation invalidKey = run(new ExchangeHarness(adapter).request("POST", VOICE)
                .requestBody(text(F + "elevenlabs_tts_request.json"))
                .responseHeaders(text(F + "elevenlabs_error_headers.txt"))
                .response(401, resource(F + "elevenlabs_error_401_invalid_key.json")));
        Observation quota = run(new ExchangeHarness(adapter).request("POST", VOICE)
                .requestBody(text(F + "elevenlabs_tts_request.json"))
                .response(401, resource(F + "elevenlabs_error_401_quota_legacy.json")));
        Observation invalid = run(new ExchangeHarness(adapter).request("POST", VOICE)
                .requestBody(text(F + "elevenlabs_tts_request.json"))
                .response(422, resource(F + "elevenlabs_error_422.json")));

        // an error with empty usage is recorded free
        for (Observation o : new Observation[] {invalidKey, quota, invalid}) {
            assertThat(o.usage().isEmpty()).isTrue();
            assertThat(o.errorMessage()).isNotBlank();
        }
    }
}
