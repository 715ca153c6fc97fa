package dev.genledger.proxy.openai;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Transcriptions and translations ({@code POST /v1/audio/transcriptions}, {@code /translations}):
 * a multipart request (model, response_format and stream are form fields beside the audio file).
 * The JSON response's {@code usage} is either {@code type: tokens} (gpt-4o(-mini)-transcribe:
 * input audio and text tokens, output tokens) or {@code type: duration} with the billed
 * {@code seconds} (whisper-1, the diarize model). {@code stream=true} sends
 * {@code transcript.text.delta} events and {@code transcript.text.done} with the usage.
 */
final class TranscriptionMeter extends Meter {
    private BigDecimal duration;
    private long outputDeltas;

    @Override
    void onResponseValue(String event, String path, JsonToken token, JsonStream s) throws IOException {
        if (event == null && path.equals("duration")) {
            BigDecimal d = s.decimal();
            duration = d != null && d.signum() >= 0 ? d : null;
        } else if (event != null && path.equals("type") && "transcript.text.delta".equals(text(token, s))) {
            outputDeltas++;
        }
    }

    @Override
    Metered finish(Outcome outcome) {
        if (usage.reported()) {
            return metered(usage.toBuilder(UsageTally.Output.MIXED).build(), false);
        }
        if (duration != null) {
            // verbose_json without usage (older responses): the audio's reported length stands in
            // for the billed seconds, which OpenAI rounds up to whole seconds
            return metered(Usage.builder().mediaSeconds(duration).estimated(true).build(), false);
        }
        // No usage: response_format text, srt or vtt (plain text, no usage at all), a stream cut
        // before transcript.text.done, or a body cut short. The audio's length is not known
        // without decoding the upload, so nothing is invented for the input; a stream's deltas
        // give its output tokens, about one each. Estimated and incomplete: the row shows its
        // usage is missing.
        return metered(Usage.builder().outputTokens(outcome.body() == Body.EVENTS ? outputDeltas : 0)
                .estimated(true).build(), true);
    }
}
