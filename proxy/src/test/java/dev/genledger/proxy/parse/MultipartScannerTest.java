package dev.genledger.proxy.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartScannerTest {
    private static byte[] form(String boundary, byte[] file) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image[]\"; filename=\"cat.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(file);
        b.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n"
                + "gpt-image-1\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\n"
                + "a cat\r\nwith a hat\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    private static List<String> scan(String boundary, byte[] body, int pieceSize) {
        List<String> seen = new ArrayList<>();
        MultipartScanner m = new MultipartScanner(boundary, new MultipartScanner.Handler() {
            @Override
            public void field(String name, String value) {
                seen.add(name + "=" + value);
            }

            @Override
            public void file(String name, String filename, long bytes) {
                seen.add(name + ":" + filename + ":" + bytes);
            }
        });
        Chunks.feed(body, pieceSize, (b, n) -> m.feed(ByteBuffer.wrap(b)));
        return seen;
    }

    @Test
    void findsTextFieldsAfterLargeFilePartsWhateverTheChunking() {
        String boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
        // file content that nearly contains the delimiter, to exercise the matcher's fallback
        byte[] file = ("\r\n--" + boundary.substring(0, 10) + "x\r\n-\r\n--").repeat(50_000)
                .getBytes(StandardCharsets.US_ASCII);
        for (int size : new int[] {1, 3, 4096, 1 << 22}) {
            assertThat(scan(boundary, form(boundary, file), size)).as("pieces of %d", size)
                    .containsExactly("image[]:cat.png:" + file.length, "model=gpt-image-1", "prompt=a cat\r\nwith a hat");
        }
    }

    @Test
    void theBoundaryIsReadFromTheContentType() {
        assertThat(MultipartScanner.boundary("multipart/form-data; boundary=abc123")).isEqualTo("abc123");
        assertThat(MultipartScanner.boundary("multipart/form-data; boundary=\"a b\"; charset=utf-8")).isEqualTo("a b");
        assertThat(MultipartScanner.boundary("application/json")).isNull();
        assertThat(MultipartScanner.boundary(null)).isNull();
    }
}
