package dev.genledger.proxy.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.proxy.parse.Chunks;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AudioClockTest {
    private static BigDecimal seconds(String format, String mediaType, byte[] audio, int pieceSize) {
        AudioClock clock = AudioClock.of(format, mediaType);
        Chunks.feed(audio, pieceSize, (b, n) -> clock.feed(ByteBuffer.wrap(b)));
        return clock.seconds();
    }

    @ParameterizedTest(name = "fed {0} bytes at a time")
    @ValueSource(ints = {1, 3, 1 << 20})
    void mp3LengthIsTheSumOfItsFramesSampleCounts(int size) {
        byte[] tagged = concat(Audio.id3(1000), Audio.mpeg2Frames(125));
        // 125 frames × 576 samples / 24000 Hz = 3 s
        assertThat(seconds(null, "audio/mpeg", tagged, size)).isEqualByComparingTo("3");
        // 49 frames × 1152 / 44100 = 1.28 s; no tag, padded frames are one byte longer
        assertThat(seconds("mp3", "", Audio.mpeg1Frames(49), size)).isEqualByComparingTo("1.28");
    }

    @ParameterizedTest(name = "fed {0} bytes at a time")
    @ValueSource(ints = {1, 3, 1 << 20})
    void junkBetweenFramesIsSkippedUntilTheNextFrameHeader(int size) {
        byte[] audio = concat(Audio.mpeg2Frames(10), new byte[] {0x00, 0x12, (byte) 0xFF, 0x00, 0x34}, Audio.mpeg2Frames(15));
        // 25 frames × 24 ms = 0.6 s
        assertThat(seconds("mp3", "audio/mpeg", audio, size)).isEqualByComparingTo("0.6");
    }

    @ParameterizedTest(name = "fed {0} bytes at a time")
    @ValueSource(ints = {1, 3, 1 << 20})
    void wavLengthIsItsDataOverTheFmtByteRate(int size) {
        // 120,000 bytes of data / 48,000 bytes a second = 2.5 s; the LIST chunk is not audio
        assertThat(seconds("wav", "audio/wav", Audio.wav(120_000), size)).isEqualByComparingTo("2.5");
    }

    @ParameterizedTest(name = "fed {0} bytes at a time")
    @ValueSource(ints = {1, 3, 1 << 20})
    void pcmIsTwentyFourKilohertzSixteenBitMono(int size) {
        // 72,000 bytes / (24,000 × 2) = 1.5 s
        assertThat(seconds("pcm", "audio/pcm", new byte[72_000], size)).isEqualByComparingTo("1.5");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"opus", "aac", "flac"})
    void formatsWhoseFramingDoesNotTellTheLengthGiveNone(String format) {
        assertThat(seconds(format, "audio/" + format, new byte[5000], 100)).isNull();
        assertThat(seconds(null, "audio/" + format, new byte[5000], 100)).isNull();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
