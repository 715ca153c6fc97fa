package dev.genledger.proxy.openai;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Measures how many seconds of audio pass in a speech response, from the framing alone, as the
 * bytes stream by: OpenAI reports no usage for a binary speech response, and the audio's length is
 * what a token-priced speech model's output is worth. Knows the formats whose length the framing
 * tells: {@code pcm} (24 kHz, 16-bit mono, no header, as OpenAI documents it), {@code wav} (the
 * byte rate of its {@code fmt} chunk) and {@code mp3} (MPEG audio frames: each header gives its
 * sample count and length, so the walk jumps from frame to frame). For opus, aac and flac the
 * length stays unknown.
 */
final class AudioClock {
    private enum Format { PCM, WAV, MP3, UNKNOWN }

    private static final int PCM_BYTES_PER_SECOND = 24_000 * 2;

    private final Format format;
    private long bytes;
    private long skip;

    // wav: the 12-byte RIFF head, then chunks of an 8-byte head and a body; the "data" chunk of a
    // streamed file runs to the end whatever size it declares
    private enum Wav { RIFF, CHUNK_HEAD, FMT, DATA }

    private Wav wav = Wav.RIFF;
    private final byte[] wavHead = new byte[16];
    private int wavHave;
    private long fmtRest;
    private long wavByteRate;
    private long wavDataBytes;

    // mp3: an optional 10-byte ID3v2 tag head first, then 4-byte frame headers, each followed by
    // the rest of its frame, which is skipped
    private final byte[] head = new byte[10];
    private int headLen;
    private boolean pastTag;
    private final long[] samplesAtRate = new long[9];

    private AudioClock(Format format) {
        this.format = format;
    }

    /**
     * @param responseFormat the request's {@code response_format}, or null
     * @param mediaType      the response's media type, used when the request did not say
     */
    static AudioClock of(String responseFormat, String mediaType) {
        String f = responseFormat != null ? responseFormat.toLowerCase(Locale.ROOT) : switch (mediaType) {
            case "audio/mpeg", "audio/mp3" -> "mp3";
            case "audio/wav", "audio/wave", "audio/x-wav" -> "wav";
            case "audio/pcm", "audio/l16" -> "pcm";
            default -> mediaType.isEmpty() ? "mp3" : "other"; // mp3 is the API's default format
        };
        return new AudioClock(switch (f) {
            case "pcm" -> Format.PCM;
            case "wav" -> Format.WAV;
            case "mp3" -> Format.MP3;
            default -> Format.UNKNOWN;
        });
    }

    void feed(ByteBuffer chunk) {
        ByteBuffer b = chunk.duplicate();
        bytes += b.remaining();
        while (b.hasRemaining() && (format == Format.WAV || format == Format.MP3)) {
            if (skip > 0) {
                int n = (int) Math.min(skip, b.remaining());
                b.position(b.position() + n);
                skip -= n;
            } else if (format == Format.WAV) {
                wav(b);
            } else {
                mp3(b.get());
            }
        }
    }

    /** Seconds of audio seen so far, or null when the format does not tell. */
    BigDecimal seconds() {
        return switch (format) {
            case PCM -> BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(PCM_BYTES_PER_SECOND), MathContext.DECIMAL64);
            case WAV -> wavByteRate > 0
                    ? BigDecimal.valueOf(wavDataBytes).divide(BigDecimal.valueOf(wavByteRate), MathContext.DECIMAL64)
                    : null;
            case MP3 -> mp3Seconds();
            case UNKNOWN -> null;
        };
    }

    // ------------------------------------------------------------------ wav

    private void wav(ByteBuffer b) {
        switch (wav) {
            case DATA -> {
                wavDataBytes += b.remaining();
                b.position(b.limit());
            }
            case RIFF -> { // "RIFF", a size, "WAVE"
                b.get();
                if (++wavHave == 12) {
                    wavHave = 0;
                    wav = Wav.CHUNK_HEAD;
                }
            }
            case CHUNK_HEAD -> {
                wavHead[wavHave++] = b.get();
                if (wavHave == 8) {
                    wavHave = 0;
                    long size = le32(wavHead, 4);
                    long padded = size + (size & 1); // chunks are padded to an even length
                    if (wavHead[0] == 'd' && wavHead[1] == 'a' && wavHead[2] == 't' && wavHead[3] == 'a') {
                        wav = Wav.DATA;
                    } else if (wavHead[0] == 'f' && wavHead[1] == 'm' && wavHead[2] == 't' && wavHead[3] == ' '
                            && size >= 16) {
                        wav = Wav.FMT;
                        fmtRest = padded - 16;
                    } else {
                        skip = padded;
                    }
                }
            }
            case FMT -> {
                // format, channels, sample rate, byte rate, block align, bits per sample
                wavHead[wavHave++] = b.get();
                if (wavHave == 16) {
                    wavHave = 0;
                    wavByteRate = le32(wavHead, 8);
                    skip = fmtRest;
                    wav = Wav.CHUNK_HEAD;
                }
            }
            default -> throw new IllegalStateException(wav.name());
        }
    }

    private static long le32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }

    // ------------------------------------------------------------------ mp3

    private void mp3(byte c) {
        head[headLen++] = c;
        if (!pastTag) {
            if (headLen == 3 && !(head[0] == 'I' && head[1] == 'D' && head[2] == '3')) {
                pastTag = true; // no tag: these are the first bytes of a frame header
            } else if (headLen == 10) {
                // ID3v2: a synchsafe size of the tag after its 10-byte head, plus a footer if flagged
                pastTag = true;
                skip = (head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F);
                skip += (head[5] & 0x10) != 0 ? 10 : 0;
                headLen = 0;
            }
            return;
        }
        if (headLen == 4) {
            frame();
        }
    }

    // Layer III bitrates in kbit/s by bitrate index: MPEG-1, and MPEG-2/2.5
    private static final int[] BITRATE_V1 = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0};
    private static final int[] BITRATE_V2 = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0};
    // sample rates by [version row][index]: MPEG-1, MPEG-2, MPEG-2.5
    private static final int[][] RATES = {{44100, 48000, 32000}, {22050, 24000, 16000}, {11025, 12000, 8000}};

    /** {@code head[0..4)} holds a candidate frame header: count the frame and skip it, or slide by one byte. */
    private void frame() {
        int h = (head[0] & 0xFF) << 24 | (head[1] & 0xFF) << 16 | (head[2] & 0xFF) << 8 | (head[3] & 0xFF);
        int sync = h >>> 21;
        int version = (h >>> 19) & 3; // 0 = 2.5, 1 reserved, 2 = MPEG-2, 3 = MPEG-1
        int layer = (h >>> 17) & 3; // 1 = Layer III
        int bitrateIndex = (h >>> 12) & 15;
        int rateIndex = (h >>> 10) & 3;
        int padding = (h >>> 9) & 1;
        if (sync != 0x7FF || version == 1 || layer != 1 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
            // not a frame header (junk, a Layer I/II stream): slide by one byte and look again
            System.arraycopy(head, 1, head, 0, 3);
            headLen = 3;
            return;
        }
        int row = version == 3 ? 0 : version == 2 ? 1 : 2;
        int rate = RATES[row][rateIndex];
        int kbps = (row == 0 ? BITRATE_V1 : BITRATE_V2)[bitrateIndex];
        int samples = row == 0 ? 1152 : 576;
        int length = (samples / 8) * kbps * 1000 / rate + padding;
        samplesAtRate[row * 3 + rateIndex] += samples;
        skip = Math.max(0, length - 4);
        headLen = 0;
    }

    private BigDecimal mp3Seconds() {
        BigDecimal s = BigDecimal.ZERO;
        for (int i = 0; i < samplesAtRate.length; i++) {
            if (samplesAtRate[i] > 0) {
                s = s.add(BigDecimal.valueOf(samplesAtRate[i])
                        .divide(BigDecimal.valueOf(RATES[i / 3][i % 3]), MathContext.DECIMAL64));
            }
        }
        return s;
    }
}
