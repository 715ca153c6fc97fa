package dev.genledger.proxy.elevenlabs;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.proxy.parse.JsonStream;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Reads a speech-to-text result: a single transcript ({@code audio_duration_secs}, {@code words[]}),
 * a multichannel one ({@code transcripts[]}, each channel billed for the full duration), or the
 * acknowledgement of the asynchronous mode ({@code message}, {@code request_id},
 * {@code transcription_id}).
 */
final class TranscriptReader implements JsonStream.Listener {
    private BigDecimal duration;
    private BigDecimal lastWordEnd = BigDecimal.ZERO;
    private BigDecimal channelDurations = BigDecimal.ZERO;
    private BigDecimal channelWordEnds = BigDecimal.ZERO;
    private BigDecimal channelWordEnd = BigDecimal.ZERO;
    private boolean channelHasDuration;
    private int channels;
    private int channelsWithDuration;
    private String transcriptionId;
    private String ackMessage;
    private boolean transcript;

    @Override
    public void value(String path, JsonToken token, JsonStream s) throws IOException {
        switch (path) {
            case "audio_duration_secs" -> duration = positive(s.decimal());
            case "words[].end" -> lastWordEnd = max(lastWordEnd, s.decimal());
            case "transcripts[].audio_duration_secs" -> {
                BigDecimal d = positive(s.decimal());
                if (d != null) {
                    channelDurations = channelDurations.add(d);
                    channelHasDuration = true;
                }
            }
            case "transcripts[].words[].end" -> channelWordEnd = max(channelWordEnd, s.decimal());
            case "transcription_id", "transcripts[].transcription_id" -> {
                if (token == JsonToken.VALUE_STRING && transcriptionId == null) {
                    transcriptionId = s.text();
                }
            }
            case "message" -> ackMessage = s.text();
            case "text" -> transcript = true;
            default -> { }
        }
    }

    @Override
    public void start(String path, boolean array) {
        if (path.equals("transcripts[]") && !array) {
            channelWordEnd = BigDecimal.ZERO;
            channelHasDuration = false;
        } else if (path.equals("transcripts") && array) {
            transcript = true;
        }
    }

    @Override
    public void end(String path, boolean array, int elements) {
        if (path.equals("transcripts[]") && !array) {
            channels++;
            channelWordEnds = channelWordEnds.add(channelWordEnd);
            if (channelHasDuration) {
                channelsWithDuration++;
            }
        }
    }

    /** The billed seconds when the response reports them: the duration, or the sum over channels. */
    BigDecimal reportedSeconds() {
        if (duration != null) {
            return duration;
        }
        return channels > 0 && channelsWithDuration == channels ? channelDurations : null;
    }

    /**
     * A lower bound on the billed seconds when none are reported: where the last word ends, summed
     * over channels for a multichannel result.
     */
    BigDecimal wordSeconds() {
        return channels > 0 ? channelWordEnds : lastWordEnd;
    }

    /** The asynchronous mode's acknowledgement, not a transcript. */
    boolean acknowledgement() {
        return ackMessage != null && !transcript;
    }

    String transcriptionId() {
        return transcriptionId;
    }

    private static BigDecimal positive(BigDecimal d) {
        return d != null && d.signum() > 0 ? d : null;
    }

    private static BigDecimal max(BigDecimal a, BigDecimal b) {
        return b != null && b.compareTo(a) > 0 ? b : a;
    }
}
