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
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class OpenAiSpeechTest {
    /** 3 s of MP3 after an ID3 tag: 125 MPEG-2 frames × 576 samples / 24 kHz. */
    static byte[] threeSecondsOfMp3() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Audio.id3(512));
        out.writeBytes(Audio.mpeg2Frames(125));
        return out.toByteArray();
    }

    private static ExchangeHarness speech(String request) {
        return openai().request("POST", "/v1/audio/speech").requestBody(request);
    }

    @Test
    void tts1IsBilledByTheCharactersOfItsInput() {
        ExchangeHarness.Result r = everyWay(speech(text("openai_speech_tts-1_request.json"))
                .response(200, threeSecondsOfMp3()).responseHeaders(text("openai_speech_headers.txt")));
        Observation o = r.observation();

        // "The quick brown fox jumped over the lazy dog." is 45 characters
        assertThat(o.usage()).isEqualTo(Usage.builder().characters(45).build());
        assertThat(o.operation()).isEqualTo("speech");
        assertThat(o.modality()).isEqualTo(Modality.AUDIO);
        assertThat(o.model()).isEqualTo("tts-1");
        assertThat(o.streamed()).isTrue();
        assertThat(o.incomplete()).isFalse();
        assertThat(o.upstreamRequestId()).isEqualTo("req_fedcba9876543210fedcba9876543210");
        assertThat(r.clientReceived()).isEqualTo(threeSecondsOfMp3());
    }

    @Test
    void charactersAreCodePointsOfTheDecodedInput() {
        // "Grüße 😀 \"hi\"": G r ü ß e, space, 😀 (one code point, two UTF-16 units), space, " h i " = 12
        Observation o = observation(speech("{\"model\":\"tts-1-hd\",\"voice\":\"alloy\",\"input\":\"Grüße \\ud83d\\ude00 \\\"hi\\\"\"}")
                .response(200, threeSecondsOfMp3()).responseHeader("content-type", "audio/mpeg"));
        assertThat(o.usage()).isEqualTo(Usage.builder().characters(12).build());
    }

    @Test
    void aTts1ResponseCutShortStillCountsTheInputButSaysItIsIncomplete() {
        Observation o = observation(speech(text("openai_speech_tts-1_request.json"))
                .response(200, threeSecondsOfMp3()).responseHeader("content-type", "audio/mpeg")
                .cutAfter(2000, Ending.CLIENT_ABORTED));
        assertThat(o.usage()).isEqualTo(Usage.builder().characters(45).build());
        assertThat(o.incomplete()).isTrue();
    }

    @Test
    void aTokenModelsBinaryAudioIsEstimatedFromTheTextAndTheAudioLength() {
        Observation o = observation(speech(text("openai_speech_request.json"))
                .response(200, threeSecondsOfMp3()).responseHeaders(text("openai_speech_headers.txt")));

        // input: 45 characters → ceil(45 / 4) = 12 tokens;
        // output: 3 s of audio × 1250 tokens a minute = 62.5 → 63 audio tokens
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(12).outputTokens(63).outputAudioTokens(63)
                .estimated(true).build());
        assertThat(o.model()).isEqualTo("gpt-4o-mini-tts");
        assertThat(o.incomplete()).isFalse();
    }

    @Test
    void instructionsCountAsInputAndWavAndPcmLengthsAreRead() {
        String instructions = ",\"instructions\":\"Speak in a cheerful and positive tone.\"";
        Observation wav = observation(speech(text("openai_speech_request.json").replace("\"voice\"", "\"response_format\":\"wav\""
                + instructions + ",\"voice\"")).response(200, Audio.wav(96_000)).responseHeader("content-type", "audio/wav"));
        // input: 45 + 38 characters = 83 → 21 tokens; output: 96,000 / 48,000 = 2 s → 41.67 → 42
        assertThat(wav.usage()).isEqualTo(Usage.builder().inputTokens(21).outputTokens(42).outputAudioTokens(42)
                .estimated(true).build());

        Observation pcm = observation(speech(text("openai_speech_request.json").replace("\"voice\"",
                "\"response_format\":\"pcm\",\"voice\"")).response(200, new byte[120_000]).responseHeader("content-type", "audio/pcm"));
        // output: 120,000 / 48,000 = 2.5 s → 52.08 → 53
        assertThat(pcm.usage()).isEqualTo(Usage.builder().inputTokens(12).outputTokens(53).outputAudioTokens(53)
                .estimated(true).build());
    }

    @Test
    void anAudioFormatWhoseLengthIsUnknownLeavesTheOutputMissingAndSaysSo() {
        Observation o = observation(speech(text("openai_speech_request.json").replace("\"voice\"",
                "\"response_format\":\"opus\",\"voice\"")).response(200, new byte[10_000]).responseHeader("content-type", "audio/opus"));
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(12).estimated(true).build());
        assertThat(o.incomplete()).isTrue();
    }

    @Test
    void aCutTokenModelStreamCountsTheAudioThatArrived() {
        // cut 2 bytes into the header of frame 51: the 522-byte tag, then whole headers at 522 + 192 k
        // for k = 0..49 → 50 frames × 24 ms = 1.2 s
        Observation o = observation(speech(text("openai_speech_request.json"))
                .response(200, threeSecondsOfMp3()).responseHeader("content-type", "audio/mpeg")
                .cutAfter(522 + 192 * 50 + 2, Ending.CLIENT_ABORTED));
        // 1.2 s × 1250 / 60 = 25 tokens
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(12).outputTokens(25).outputAudioTokens(25)
                .estimated(true).build());
        assertThat(o.incomplete()).isTrue();
    }

    @Test
    void anSseSpeechStreamReportsItsTokenUsage() {
        ExchangeHarness.Result r = everyWay(speech(text("openai_speech_sse_request.json"))
                .response(200, fixture("openai_speech_stream.sse")).responseHeader("content-type", "text/event-stream"));

        // speech.audio.done: input 14 text tokens, output 101 audio tokens
        assertThat(r.observation().usage()).isEqualTo(Usage.builder().inputTokens(14).outputTokens(101)
                .outputAudioTokens(101).build());
        assertThat(r.observation().streamed()).isTrue();
        assertThat(r.clientText()).isEqualTo(text("openai_speech_stream.sse"));
    }

    @Test
    void anSseSpeechStreamCutBeforeItsDoneEventIsEstimatedFromTheText() {
        byte[] sse = fixture("openai_speech_stream.sse");
        Observation o = observation(speech(text("openai_speech_sse_request.json"))
                .response(200, sse).responseHeader("content-type", "text/event-stream")
                .cutAfter(afterEvent(sse, 1), Ending.UPSTREAM_FAILED));
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(12).estimated(true).build());
        assertThat(o.incomplete()).isTrue();
    }
}
