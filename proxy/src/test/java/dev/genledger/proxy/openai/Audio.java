package dev.genledger.proxy.openai;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** Audio bodies built to the letter of their framing, for the speech tests. */
final class Audio {
    private Audio() {}

    /** An ID3v2.4 tag of the given body size (synchsafe), as encoders put before the first frame. */
    static byte[] id3(int size) {
        byte[] tag = new byte[10 + size];
        tag[0] = 'I';
        tag[1] = 'D';
        tag[2] = '3';
        tag[3] = 4;
        tag[6] = (byte) ((size >> 21) & 0x7F);
        tag[7] = (byte) ((size >> 14) & 0x7F);
        tag[8] = (byte) ((size >> 7) & 0x7F);
        tag[9] = (byte) (size & 0x7F);
        Arrays.fill(tag, 10, tag.length, (byte) 0xFF); // sync-like bytes inside the tag must not count
        return tag;
    }

    /**
     * MPEG-2 Layer III frames at 24 kHz, 64 kbit/s: 576 samples (24 ms) in 72 × 64000 / 24000 =
     * 192 bytes each. The frame bodies are full of 0xFF, which a walk that jumps frames never reads.
     */
    static byte[] mpeg2Frames(int frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < frames; i++) {
            byte[] frame = new byte[192];
            Arrays.fill(frame, (byte) 0xFF);
            frame[0] = (byte) 0xFF;
            frame[1] = (byte) 0xF3; // sync, MPEG-2, Layer III, no CRC
            frame[2] = (byte) 0x84; // 64 kbit/s, 24000 Hz, no padding
            frame[3] = (byte) 0xC4; // mono
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    /**
     * MPEG-1 Layer III frames at 44.1 kHz, 128 kbit/s: 1152 samples each, 144 × 128000 / 44100 =
     * 417 bytes, or 418 with the padding bit, which alternates here as encoders set it.
     */
    static byte[] mpeg1Frames(int frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < frames; i++) {
            boolean padded = i % 2 == 1;
            byte[] frame = new byte[padded ? 418 : 417];
            frame[0] = (byte) 0xFF;
            frame[1] = (byte) 0xFB; // sync, MPEG-1, Layer III, no CRC
            frame[2] = (byte) (0x90 | (padded ? 0x02 : 0)); // 128 kbit/s, 44100 Hz
            frame[3] = (byte) 0x44;
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    /** A streamed WAV: 24 kHz 16-bit mono, sizes unknown (0xFFFFFFFF), a LIST chunk before the data. */
    static byte[] wav(int dataBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'R', 'I', 'F', 'F', -1, -1, -1, -1, 'W', 'A', 'V', 'E'});
        out.writeBytes(new byte[] {'f', 'm', 't', ' ', 16, 0, 0, 0});
        out.writeBytes(new byte[] {1, 0, 1, 0}); // PCM, mono
        out.writeBytes(le32(24_000));
        out.writeBytes(le32(48_000)); // byte rate
        out.writeBytes(new byte[] {2, 0, 16, 0});
        out.writeBytes(new byte[] {'L', 'I', 'S', 'T', 5, 0, 0, 0, 'I', 'N', 'F', 'O', 'x', 0}); // odd size: padded
        out.writeBytes(new byte[] {'d', 'a', 't', 'a', -1, -1, -1, -1});
        out.writeBytes(new byte[dataBytes]);
        return out.toByteArray();
    }

    private static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }
}
