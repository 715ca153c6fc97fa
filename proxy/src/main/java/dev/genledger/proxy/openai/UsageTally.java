package dev.genledger.proxy.openai;

import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Reads one OpenAI {@code usage} object, whichever API wrote it. The APIs name the same counts
 * differently (chat: {@code prompt_tokens}/{@code completion_tokens} with {@code *_tokens_details};
 * responses, images and speech: {@code input_tokens}/{@code output_tokens}; transcriptions:
 * {@code input_token_details} and {@code type: duration} with {@code seconds}), but never the same
 * name for different things, so one table serves them all. When a stream carries several usage
 * objects the last one wins: they are totals, never summed.
 */
final class UsageTally {
    private boolean ended;
    private long input;
    private long cached;
    private long output;
    private long reasoning;
    private long inputAudio;
    private long inputImage;
    private long outputAudio;
    private long outputImage;
    private boolean outputImageReported;
    private boolean outputAudioReported;
    private BigDecimal seconds;
    private String type;

    /** A usage object starts (a non-null {@code usage}); it replaces whatever was read before. */
    void begin() {
        ended = false;
        input = cached = output = reasoning = inputAudio = inputImage = outputAudio = outputImage = 0;
        outputImageReported = outputAudioReported = false;
        seconds = null;
        type = null;
    }

    /** The usage object ended: its counts are all there. */
    void end() {
        ended = true;
    }

    /**
     * Whether the provider reported usage: a whole usage object was read. One cut off in the middle
     * (a stream that broke inside the usage chunk) does not count; its parts could be missing.
     */
    boolean reported() {
        return ended;
    }

    /** Reads one value of the usage object, by its path inside that object. */
    void read(String field, JsonStream s) throws IOException {
        switch (field) {
            case "prompt_tokens", "input_tokens" -> input = count(s);
            case "completion_tokens", "output_tokens" -> output = count(s);
            case "prompt_tokens_details.cached_tokens", "input_tokens_details.cached_tokens" -> cached = count(s);
            case "prompt_tokens_details.audio_tokens", "input_tokens_details.audio_tokens",
                 "input_token_details.audio_tokens" -> inputAudio = count(s);
            case "prompt_tokens_details.image_tokens", "input_tokens_details.image_tokens",
                 "input_token_details.image_tokens" -> inputImage = count(s);
            case "completion_tokens_details.reasoning_tokens", "output_tokens_details.reasoning_tokens" ->
                    reasoning = count(s);
            case "completion_tokens_details.audio_tokens", "output_tokens_details.audio_tokens" -> {
                outputAudio = count(s);
                outputAudioReported = true;
            }
            case "completion_tokens_details.image_tokens", "output_tokens_details.image_tokens" -> {
                outputImage = count(s);
                outputImageReported = true;
            }
            case "seconds" -> seconds = s.decimal();
            case "type" -> type = s.text();
            default -> { } // totals and counts that are already inside the ones above
        }
    }

    /** A count as reported; a negative one (never sent by OpenAI) is read as zero rather than fail the row. */
    private static long count(JsonStream s) throws IOException {
        return Math.max(0, s.longValue());
    }

    /** {@code usage.type}: {@code tokens} or {@code duration} (transcriptions), else null. */
    String type() {
        return type;
    }

    BigDecimal seconds() {
        return seconds;
    }

    long outputTokens() {
        return output;
    }

    /**
     * The counts as reported. {@code outputIs} says what an output token is when the details do not
     * say it: image models output images, speech models output audio.
     */
    Usage.Builder toBuilder(Output outputIs) {
        Usage.Builder b = Usage.builder()
                .inputTokens(input)
                .cachedInputTokens(cached)
                .outputTokens(output)
                .reasoningTokens(reasoning)
                .inputAudioTokens(inputAudio)
                .inputImageTokens(inputImage)
                .outputAudioTokens(outputAudio)
                .outputImageTokens(outputImage);
        if (outputIs == Output.IMAGE && !outputImageReported) {
            b.outputImageTokens(output);
        }
        if (outputIs == Output.AUDIO && !outputAudioReported) {
            b.outputAudioTokens(output);
        }
        if (seconds != null && seconds.signum() >= 0) {
            b.mediaSeconds(seconds);
        }
        return b;
    }

    /** What an API's output tokens are when its usage details do not break them down. */
    enum Output {
        /** Text, or a mix the details break down when it matters (chat, responses). */
        MIXED,
        IMAGE,
        AUDIO
    }
}
