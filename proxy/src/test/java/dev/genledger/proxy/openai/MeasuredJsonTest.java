package dev.genledger.proxy.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.proxy.parse.Chunks;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MeasuredJsonTest {
    private static List<String> measure(String json, int pieceSize, int cap) {
        List<String> seen = new ArrayList<>();
        MeasuredJson m = new MeasuredJson((path, token, s, bytes) -> seen.add(path + "=" + bytes), cap);
        Chunks.feed(json.getBytes(StandardCharsets.UTF_8), pieceSize, (b, n) -> m.feed(ByteBuffer.wrap(b)));
        m.end();
        return seen;
    }

    @ParameterizedTest(name = "fed {0} bytes at a time")
    @ValueSource(ints = {1, 3, 1 << 20})
    void eachStringValueIsReportedWithItsFullDecodedLengthAndKeysAreNotCounted(int size) {
        String json = "{\"a long key that is not a value\":\"abc\",\"n\":12,\"list\":[\"x\",{\"k\":\"é\"},[\"\\\"\\n\",\"\\u00e9\\u4e2d\\ud83d\\ude00\"]],"
                + "\"ok\":true,\"big\":\"" + "y".repeat(10_000) + "\",\"last\":\"\"}";
        assertThat(measure(json, size, 4096)).containsExactly(
                "a long key that is not a value=3", // abc
                "n=0",
                "list[]=1",
                "list[].k=2", // é is 2 bytes of UTF-8
                "list[][]=2", // an escaped quote and an escaped newline: 1 byte each
                "list[][]=9", // é 2 + 中 3 + 😀 as a surrogate pair 2 + 2
                "ok=0",
                "big=10000", // past the 4,096-byte cap, measured whole
                "last=0");
    }

    @ParameterizedTest(name = "fed {0} bytes at a time")
    @ValueSource(ints = {1, 7, 1 << 20})
    void rootValuesAndStringsInsideRootArraysAreValues(int size) {
        assertThat(measure("[\"ab\",[\"cde\"]]", size, 4096)).containsExactly("[]=2", "[][]=3");
        assertThat(measure("\"abcd\"", size, 4096)).containsExactly("=4");
    }
}
