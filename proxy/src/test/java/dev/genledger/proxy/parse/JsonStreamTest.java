package dev.genledger.proxy.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonToken;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JsonStreamTest {
    /** Records "path=value" for every scalar, and "end path n" for arrays. */
    private static final class Recorder implements JsonStream.Listener {
        final List<String> events = new ArrayList<>();

        @Override
        public void value(String path, JsonToken token, JsonStream s) throws java.io.IOException {
            events.add(path + "=" + (token == JsonToken.VALUE_NULL ? "null" : s.text()));
        }

        @Override
        public void end(String path, boolean array, int elements) {
            if (array) {
                events.add("end " + path + " " + elements);
            }
        }
    }

    private static List<String> parse(String json, int pieceSize) {
        Recorder r = new Recorder();
        JsonStream s = new JsonStream(r);
        Chunks.feed(json.getBytes(StandardCharsets.UTF_8), pieceSize, (b, n) -> s.feed(ByteBuffer.wrap(b)));
        s.end();
        assertThat(s.failed()).isFalse();
        return r.events;
    }

    /**
     * The UTF-8 length a meter counts without building the string is the encoder's: ASCII, two-,
     * three- and four-byte characters, and escapes (which count as what they decode to), in a small
     * document and in one large enough to stream through the non-blocking parser.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 20_000})
    void textUtf8LengthIsTheEncodedLength(int padding) {
        List<String> texts = List.of("", "plain ascii", "caf\\u00e9 \u00fcber", "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad",
                "emoji \ud83d\ude80 and \\ud83c\\udf89", "tab\\tquote\\\\\\\"");
        StringBuilder json = new StringBuilder("{\"pad\":\"").append("x".repeat(padding)).append('"');
        for (int i = 0; i < texts.size(); i++) {
            json.append(",\"t").append(i).append("\":\"").append(texts.get(i)).append('"');
        }
        json.append('}');
        List<Long> lengths = new ArrayList<>();
        List<Long> expected = new ArrayList<>();
        JsonStream s = new JsonStream(new JsonStream.Listener() {
            @Override
            public void value(String path, JsonToken token, JsonStream st) throws java.io.IOException {
                if (path.startsWith("t")) {
                    lengths.add(st.textUtf8Length());
                    expected.add((long) st.text().getBytes(StandardCharsets.UTF_8).length);
                }
            }
        });
        Chunks.feed(json.toString().getBytes(StandardCharsets.UTF_8), 7, (b, n) -> s.feed(ByteBuffer.wrap(b)));
        s.end();
        assertThat(s.failed()).isFalse();
        assertThat(lengths).hasSize(texts.size()).isEqualTo(expected);
        assertThat(lengths.get(4)).isEqualTo(6 + 4 + 5 + 4); // "emoji " + rocket + " and " + party popper
    }

    /**
     * A thread's ended stream leaves its buffer to the next; streams open at once on one thread
     * (connections of one event loop) never share one, and an ended stream reads nothing more.
     */
    @Test
    void streamsOfOneThreadReuseABufferWithoutSharingIt() {
        Recorder first = new Recorder();
        JsonStream ended = new JsonStream(first);
        ended.feed(ByteBuffer.wrap("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
        ended.end();
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        JsonStream s1 = new JsonStream(r1);
        JsonStream s2 = new JsonStream(r2);
        byte[] one = "{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":19}}".getBytes(StandardCharsets.UTF_8);
        byte[] two = "{\"model\":\"gemini\",\"usage\":{\"prompt_tokens\":7}}".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < one.length || i < two.length; i += 5) { // interleaved, as two connections' reads
            if (i < one.length) {
                s1.feed(ByteBuffer.wrap(one, i, Math.min(5, one.length - i)).slice());
            }
            if (i < two.length) {
                s2.feed(ByteBuffer.wrap(two, i, Math.min(5, two.length - i)).slice());
            }
        }
        ended.feed(ByteBuffer.wrap("{\"b\":2}".getBytes(StandardCharsets.UTF_8)));
        s1.end();
        s2.end();
        assertThat(r1.events).containsExactly("model=gpt-4o", "usage.prompt_tokens=19");
        assertThat(r2.events).containsExactly("model=gemini", "usage.prompt_tokens=7");
        assertThat(first.events).containsExactly("a=1");
    }

    @ParameterizedTest(name = "fed {0} bytes at a time")
    @ValueSource(ints = {1, 3, 1 << 20})
    void reportsEveryScalarWithItsPathWhateverTheChunking(int size) {
        String json = """
                {"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"Hé \\"quoted\\" \\u00e9"}},{"index":1}],
                 "usage":{"prompt_tokens":19,"completion_tokens":10,"prompt_tokens_details":{"cached_tokens":0}},
                 "ratio":1.5e-3,"ok":true,"none":null}
                """;
        assertThat(parse(json, size)).containsExactly(
                "id=chatcmpl-1",
                "choices[].index=0",
                "choices[].delta.content=Hé \"quoted\" é",
                "choices[].index=1",
                "end choices 2",
                "usage.prompt_tokens=19",
                "usage.completion_tokens=10",
                "usage.prompt_tokens_details.cached_tokens=0",
                "ratio=1.5e-3",
                "ok=true",
                "none=null");
    }

    @ParameterizedTest(name = "fed {0} bytes at a time")
    @ValueSource(ints = {1, 3, 1 << 20})
    void readsARootArrayAndSeveralRootValues(int size) {
        assertThat(parse("[{\"a\":1}\n,\r\n{\"a\":2}\n]", size))
                .containsExactly("[].a=1", "[].a=2", "end  2");
        assertThat(parse("{\"x\":1}\n{\"x\":2}\n\n{\"x\":3}\n", size))
                .containsExactly("x=1", "x=2", "x=3");
    }

    @Test
    void piecesThatGrowFromOneByteToPastItsBuffersParseTheSameThroughEitherFeed() {
        // the stream sizes its buffers to the first pieces it sees and grows them for larger ones
        String json = "{\"a\":\"" + "x".repeat(30_000) + "\",\"usage\":{\"prompt_tokens\":19},\"b\":[1,2]}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        int[] sizes = {1, 2, 7, 300, 20_000, 9_000, 1 << 20};
        List<String> expected = parse(json, 1 << 20);
        for (boolean viaArray : new boolean[] {false, true}) {
            Recorder r = new Recorder();
            JsonStream s = new JsonStream(r);
            for (int at = 0, i = 0; at < bytes.length; at += sizes[i], i = Math.min(i + 1, sizes.length - 1)) {
                int n = Math.min(sizes[i], bytes.length - at);
                if (viaArray) {
                    s.feed(bytes, at, n);
                } else {
                    ByteBuffer direct = ByteBuffer.allocateDirect(n).put(bytes, at, n).flip();
                    s.feed(direct.asReadOnlyBuffer());
                }
            }
            s.end();
            assertThat(s.failed()).isFalse();
            assertThat(r.events).as(viaArray ? "byte[] pieces" : "read-only direct buffers").isEqualTo(expected)
                    .contains("usage.prompt_tokens=19", "b[]=2");
        }
    }

    @Test
    void aLongStringIsCutWithoutBeingHeldAndWhatFollowsIsStillRead() {
        // 20 MB of base64 before the usage, as in an image response
        StringBuilder b = new StringBuilder(21_000_000).append("{\"data\":[{\"b64_json\":\"");
        for (int i = 0; i < 20_000_000 / 4; i++) {
            b.append("QUJD");
        }
        b.append("\"}],\"usage\":{\"output_tokens\":1056}}");
        byte[] bytes = b.toString().getBytes(StandardCharsets.US_ASCII);
        b = null;
        Recorder r = new Recorder();
        JsonStream s = new JsonStream(r);
        long before = usedHeap();
        for (int i = 0; i < bytes.length; i += 16_384) {
            s.feed(ByteBuffer.wrap(bytes, i, Math.min(16_384, bytes.length - i)));
        }
        s.end();
        assertThat(r.events).hasSize(3);
        assertThat(r.events.get(0)).startsWith("data[].b64_json=QUJD").hasSize("data[].b64_json=".length() + 4096);
        assertThat(r.events).endsWith("usage.output_tokens=1056");
        // the parser held nothing like the 20 MB string (generous bound for other allocations)
        assertThat(usedHeap() - before).isLessThan(8L * 1024 * 1024);
    }

    @Test
    void aCutNeverSplitsAnEscapeOrAMultiByteCharacter() {
        Recorder r = new Recorder();
        JsonStream s = new JsonStream(r, 5);
        // past the small-document size, so that the body streams and its strings are cut
        byte[] json = ("{\"a\":\"abcd\\u00e9fgh\",\"b\":\"abcdééé\",\"c\":1,\"d\":\""
                + "x".repeat(JsonStream.SMALL_DOCUMENT) + "\"}").getBytes(StandardCharsets.UTF_8);
        for (byte x : json) {
            s.feed(ByteBuffer.wrap(new byte[] {x}));
        }
        s.end();
        assertThat(s.failed()).isFalse();
        assertThat(r.events).containsExactly("a=abcdé", "b=abcdé", "c=1", "d=xxxxx");
    }

    @Test
    void malformedInputStopsQuietlyAndKeepsWhatWasRead() {
        Recorder r = new Recorder();
        JsonStream s = new JsonStream(r);
        s.feed(ByteBuffer.wrap("{\"a\":1,\"b\":}garbage".getBytes(StandardCharsets.UTF_8)));
        s.end();
        assertThat(s.failed()).isTrue();
        assertThat(r.events).containsExactly("a=1");
    }

    @Test
    void documentsInSequenceShareOneParserAndABrokenOneDoesNotSpoilTheNext() {
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        Recorder third = new Recorder();
        Recorder fourth = new Recorder();
        JsonStream s = new JsonStream(first);
        s.feed(ByteBuffer.wrap("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
        s.nextDocument(second);
        s.feed(ByteBuffer.wrap("[DONE]".getBytes(StandardCharsets.UTF_8))); // not JSON: this document fails
        s.nextDocument(third);
        s.feed(ByteBuffer.wrap("{\"b\":{\"c\":".getBytes(StandardCharsets.UTF_8))); // cut short
        s.nextDocument(fourth);
        s.feed(ByteBuffer.wrap("42".getBytes(StandardCharsets.UTF_8))); // a root number needs its separator
        s.nextDocument((path, token, st) -> { });
        assertThat(first.events).containsExactly("a=1");
        assertThat(second.events).isEmpty();
        assertThat(third.events).isEmpty();
        assertThat(fourth.events).containsExactly("=42");
        assertThat(s.failed()).isFalse();
    }

    /**
     * Events mode reads the finished documents of a batch with one parser. A document that is not
     * JSON, is cut short (after a colon, a comma, an open bracket, inside a string or a number, after
     * a whole value), is a root scalar or is empty keeps what it had before its fault, and every value
     * of the documents around it goes to their own listeners; the boundary the batch puts between
     * documents is never delivered, and a document's own value that looks like it is.
     */
    @Test
    void eventsModeBatchesDocumentsAndAFaultyOneSpoilsNoOther() {
        String[] docs = {
                "{\"a\":1}", "[DONE]", "{\"b\":2}", "{\"cut\":", "{\"c\":{\"d\":3}}", "{\"cut\":[",
                "[4,5]", "{\"cut\":1,", "{\"e\":\"x\"}", "{\"cut\":\"str", "{\"f\":6}", "{\"cut\":12",
                "{\"g\":7}", "  ", "{\"h\":8} ", "42", "{\"i\":9}", "{\"j\":-0E-88888}", "{\"cut\":{\"k\":1}",
                "{\"l\":10}"};
        List<Recorder> recorders = new ArrayList<>();
        JsonStream s = null;
        for (String doc : docs) {
            Recorder r = new Recorder();
            recorders.add(r);
            if (s == null) {
                s = new JsonStream(r);
            } else {
                s.nextDocument(r);
            }
            byte[] b = doc.getBytes(StandardCharsets.UTF_8);
            s.feed(b, 0, b.length);
        }
        s.end();
        List<List<String>> seen = recorders.stream().map(r -> r.events).toList();
        assertThat(seen).containsExactly(
                List.of("a=1"), List.of(), List.of("b=2"), List.of(), List.of("c.d=3"), List.of(),
                List.of("[]=4", "[]=5", "end  2"), List.of("cut=1"), List.of("e=x"), List.of(), List.of("f=6"),
                List.of("cut=12"), List.of("g=7"), List.of(), List.of("h=8"), List.of("=42"), List.of("i=9"),
                List.of("j=-0E-88888"), List.of("cut.k=1"), List.of("l=10"));
    }

    @Test
    void eventsModeReadsSmallDocumentsWholeAndStreamsLargeOnesWithBoundedMemory() {
        Recorder small = new Recorder();
        Recorder large = new Recorder();
        Recorder after = new Recorder();
        JsonStream s = new JsonStream(small);
        byte[] a = "{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":3}}".getBytes(StandardCharsets.UTF_8);
        for (byte x : a) {
            s.feed(new byte[] {x}, 0, 1); // pieces, as SSE data arrives
        }
        assertThat(small.events).as("delivered when the document ends").isEmpty();
        s.nextDocument(large);
        assertThat(small.events).as("held for its batch").isEmpty();
        s.flush();
        assertThat(small.events).containsExactly("model=gpt-4o", "usage.prompt_tokens=3");
        // an event bigger than the small-document buffer streams through the non-blocking parser
        String b64 = "QUJD".repeat(50_000);
        byte[] big = ("{\"b64_json\":\"" + b64 + "\",\"usage\":{\"output_tokens\":1056}}").getBytes(StandardCharsets.UTF_8);
        int usageAt = new String(big, StandardCharsets.UTF_8).indexOf("\"usage\"");
        for (int i = 0; i < usageAt; i += 1000) {
            s.feed(big, i, Math.min(1000, usageAt - i));
        }
        assertThat(large.events).as("streamed as it arrives").hasSize(1);
        s.feed(big, usageAt, big.length - usageAt);
        s.nextDocument(after);
        assertThat(large.events).hasSize(2).endsWith("usage.output_tokens=1056");
        assertThat(large.events.get(0)).hasSize("b64_json=".length() + 4096);
        s.feed("[DONE]".getBytes(StandardCharsets.UTF_8), 0, 6);
        s.nextDocument(small);
        s.feed("{\"x\":1}".getBytes(StandardCharsets.UTF_8), 0, 7);
        s.end();
        assertThat(after.events).isEmpty();
        assertThat(small.events).endsWith("x=1");
    }

    @Test
    void numbersReadAsExactDecimalsAndLongs() {
        List<Object> seen = new ArrayList<>();
        JsonStream s = new JsonStream((path, token, st) -> {
            seen.add(st.decimal());
            seen.add(st.longValue());
        });
        s.feed(ByteBuffer.wrap("{\"t\":0.1,\"n\":42,\"s\":\"8\"}".getBytes(StandardCharsets.UTF_8)));
        s.end();
        assertThat(seen).containsExactly(new java.math.BigDecimal("0.1"), 0L, new java.math.BigDecimal("42"), 42L,
                new java.math.BigDecimal("8"), 8L);
    }

    private static long usedHeap() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
