package dev.genledger.proxy.elevenlabs;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The playing time of audio bytes in an ElevenLabs {@code output_format}
 * ({@code codec_samplerate[_bitrate]}, default {@code mp3_44100_128}), for estimates when no meter
 * came back: MP3 and Opus are constant bit rate, PCM is 16-bit mono, μ-law and A-law 8-bit.
 */
final class AudioFormat {
    static final String DEFAULT = "mp3_44100_128";

    private AudioFormat() {}

    /** Seconds of {@code bytes} of audio, to the millisecond; null when the format is unknown. */
    static BigDecimal seconds(String outputFormat, long bytes) {
        String[] f = (outputFormat == null || outputFormat.isBlank() ? DEFAULT : outputFormat).split("_");
        try {
            long bytesPerSecond = switch (f[0]) {
                case "mp3", "opus" -> f.length == 3 ? Long.parseLong(f[2]) * 1000 / 8 : 0;
                case "pcm", "wav" -> f.length >= 2 ? Long.parseLong(f[1]) * 2 : 0;
                case "ulaw", "alaw" -> f.length >= 2 ? Long.parseLong(f[1]) : 0;
                default -> 0;
            };
            if (bytesPerSecond <= 0) {
                return null;
            }
            return BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(bytesPerSecond), 3, RoundingMode.HALF_UP);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
