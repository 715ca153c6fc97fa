package dev.genledger.proxy.openai;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;

/**
 * Speech ({@code POST /v1/audio/speech}). The default response is the audio itself, chunked, with
 * no usage anywhere: tts-1 and tts-1-hd are billed by the characters of the request's
 * {@code input}, counted here in Unicode code points; gpt-4o-mini-tts by text input tokens and
 * audio output tokens, which are estimated (input from the text, output from the audio's length,
 * see {@link AudioClock}). With {@code stream_format: "sse"} the audio comes in
 * {@code speech.audio.delta} events and {@code speech.audio.done} carries the token usage.
 */
final class SpeechMeter extends Meter {
    /** The input is at most 4,096 characters: keep all of it to count its code points. */
    private static final int INPUT_CAP = 64 * 1024;

    private long inputChars;
    private long instructionChars;
    private String responseFormat;
    private boolean sse;
    private AudioClock clock;

    @Override
    int requestStringCap() {
        return INPUT_CAP;
    }

    @Override
    void onRequestValue(String path, JsonToken token, JsonStream s, long stringBytes) throws IOException {
        String t = text(token, s);
        if (t == null) {
            return;
        }
        switch (path) {
            case "input" -> inputChars = t.codePointCount(0, t.length());
            case "instructions" -> instructionChars = t.codePointCount(0, t.length());
            case "response_format" -> responseFormat = t;
            case "stream_format" -> sse = t.equals("sse");
            default -> { }
        }
    }

    @Override
    boolean expectsEvents() {
        return sse;
    }

    @Override
    void audio(String mediaType, ByteBuffer chunk) {
        if (clock == null) {
            clock = AudioClock.of(responseFormat, mediaType);
        }
        clock.feed(chunk);
    }

    @Override
    Metered finish(Outcome outcome) {
        if (usage.reported()) {
            return metered(usage.toBuilder(UsageTally.Output.AUDIO).build(), false);
        }
        String model = model();
        if (model != null && model.startsWith("tts-1")) {
            // billed by the characters of the input, whatever became of the audio
            return metered(Usage.builder().characters(inputChars).build(), !outcome.complete());
        }
        // A token-priced model without usage (the binary response, or an event stream cut before
        // speech.audio.done). Input: the input and instructions at four characters a token.
        // Output: the audio's length at 1,250 tokens a minute, when the format tells the length;
        // when it does not (opus, aac, flac, events cut short) the output is missing and the row
        // says so with incomplete.
        Usage.Builder b = Usage.builder()
                .inputTokens(Estimates.tokensForChars(inputChars + instructionChars))
                .estimated(true);
        BigDecimal seconds = outcome.body() == Body.AUDIO && clock != null ? clock.seconds() : null;
        if (seconds != null) {
            long out = Estimates.speechTokensForSeconds(seconds);
            b.outputTokens(out).outputAudioTokens(out);
        }
        return metered(b.build(), seconds == null || !outcome.complete());
    }
}
