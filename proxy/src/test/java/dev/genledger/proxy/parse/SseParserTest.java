package dev.genledger.proxy.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseParserTest {
    /** Records events as "type|data" and other lines as "other:line". */
    private static final class Recorder implements SseParser.Handler {
        final List<String> events = new ArrayList<>();
        private String type = "";
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();

        @Override
        public void eventType(String t) {
            type = t;
        }

        @Override
        public void data(byte[] buf, int off, int len) {
            data.write(buf, off, len);
        }

        @Override
        public void eventEnd() {
            events.add(type + "|" + data.toString(StandardCharsets.UTF_8));
            type = "";
            data.reset();
        }

        @Override
        public void otherLine(byte[] buf, int off, int len) {
            events.add("other:" + new String(buf, off, len, StandardCharsets.UTF_8));
        }
    }

    private static List<String> parse(String stream, int size) {
        Recorder r = new Recorder();
        SseParser p = new SseParser(r);
        Chunks.feed(stream.getBytes(StandardCharsets.UTF_8), size, (b, n) -> p.feed(ByteBuffer.wrap(b)));
        p.end();
        return r.events;
    }

    @ParameterizedTest(name = "fed {0} bytes at a time")
    @ValueSource(ints = {1, 3, 1 << 16})
    void readsEventsWhateverTheLineEndingsAndChunking(int size) {
        for (String eol : new String[] {"\n", "\r\n", "\r"}) {
            String stream = ("data: {\"a\":1}" + eol + eol
                    + "event: response.completed" + eol + "data: {\"b\":2}" + eol + eol
                    + ": a comment" + eol + "id: 7" + eol + "retry: 100" + eol
                    + "data:no-space" + eol + "data:  two spaces" + eol + eol
                    + "data: [DONE]" + eol + eol);
            assertThat(parse(stream, size)).as("line ending %s", eol.replace("\r", "CR").replace("\n", "LF"))
                    .containsExactly("|{\"a\":1}", "response.completed|{\"b\":2}", "|no-space\n two spaces",
                            "|[DONE]");
        }
    }

    @Test
    void aRawJsonErrorMidStreamIsReportedLineByLine() {
        // Gemini: an error object without "data:" after regular events
        String stream = "data: {\"x\":1}\r\n\r\n{\n  \"error\": {\n    \"code\": 503\n  }\n}\n";
        assertThat(parse(stream, 7)).containsExactly("|{\"x\":1}", "other:{", "other:  \"error\": {",
                "other:    \"code\": 503", "other:  }", "other:}");
    }

    /**
     * The line-end scan reads eight bytes at a time: an LF or CR at any place of a word or of the
     * tail, after bytes that differ from them by one bit or by one (0x0B, 0x0C, 0x0E, 0x8A, 0x8D),
     * is found, and the first of several wins.
     */
    @Test
    void theLineEndScanFindsTheFirstLfOrCrWherever() {
        byte[] near = {'a', 0x0B, 0x0C, 0x0E, 0x09, (byte) 0x8A, (byte) 0x8D, (byte) 0xFF, 0x00, 0x2A};
        for (int len = 0; len < 40; len++) {
            for (int from = 0; from <= len; from++) {
                byte[] buf = new byte[len];
                for (int i = 0; i < len; i++) {
                    buf[i] = near[(i * 7 + from) % near.length];
                }
                assertThat(SseParser.lineEnd(buf, from, len)).as("none in %d..%d", from, len).isEqualTo(len);
                for (int at = from; at < len; at++) {
                    for (byte eol : new byte[] {'\n', '\r'}) {
                        byte[] b = buf.clone();
                        b[at] = eol;
                        if (at + 3 < len) {
                            b[at + 3] = '\n'; // a later one does not win
                        }
                        assertThat(SseParser.lineEnd(b, from, len)).as("%d in %d..%d", at, from, len).isEqualTo(at);
                    }
                }
            }
        }
    }

    @Test
    void aLastEventWithoutItsBlankLineIsDispatchedAtTheEnd() {
        assertThat(parse("data: tail", 3)).containsExactly("|tail");
    }

    @Test
    void hugeDataIsStreamedNotCollected() {
        StringBuilder s = new StringBuilder("event: image_generation.partial_image\ndata: {\"b64\":\"");
        s.append("A".repeat(5_000_000)).append("\"}\n\n");
        List<Integer> pieces = new ArrayList<>();
        SseParser p = new SseParser(new SseParser.Handler() {
            @Override
            public void data(byte[] buf, int off, int len) {
                pieces.add(len);
            }

            @Override
            public void eventEnd() {
                pieces.add(-1);
            }
        });
        Chunks.feed(s.toString().getBytes(StandardCharsets.US_ASCII), 16_384, (b, n) -> p.feed(ByteBuffer.wrap(b)));
        assertThat(pieces.get(pieces.size() - 1)).isEqualTo(-1);
        assertThat(pieces.stream().mapToInt(Integer::intValue).max().orElseThrow()).isLessThanOrEqualTo(16_384);
        assertThat(pieces.stream().filter(n -> n > 0).mapToInt(Integer::intValue).sum())
                .isEqualTo("{\"b64\":\"".length() + 5_000_000 + 2);
    }
}
