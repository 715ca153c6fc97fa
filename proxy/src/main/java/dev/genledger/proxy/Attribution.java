package dev.genledger.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The attribution a client attaches with {@code X-*} headers (DESIGN.md, "Attribution request
 * headers"). Values are at most 256 characters without control characters; {@code X-Tags} is
 * {@code k=v} pairs, comma-separated, at most 20; {@code X-Parent-Generation-Id} is a generation
 * id (a UUID). The headers are stripped before the request is forwarded.
 */
record Attribution(String articleId, String task, String category, String contentProduct, String pipelineStep,
                   UUID parentId, Map<String, String> tags) {

    static final String ARTICLE_ID = "x-article-id";
    static final String TASK = "x-task";
    static final String CATEGORY = "x-category";
    static final String CONTENT_PRODUCT = "x-content-product";
    static final String PIPELINE_STEP = "x-pipeline-step";
    static final String PARENT_ID = "x-parent-generation-id";
    static final String TAGS = "x-tags";

    /** Every attribution header, lower case. */
    static final List<String> HEADERS = List.of(ARTICLE_ID, TASK, CATEGORY, CONTENT_PRODUCT, PIPELINE_STEP,
            PARENT_ID, TAGS);

    static final int MAX_LENGTH = 256;
    static final int MAX_TAGS = 20;

    static final Attribution NONE = new Attribution(null, null, null, null, null, null, Map.of());

    /** A header value the gateway refuses; the message names the header and says what is allowed. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        final String header;

        Invalid(String header, String message) {
            super(message);
            this.header = header;
        }
    }

    static Attribution from(HttpHeaders h) throws Invalid {
        Map<String, String> tags = tags(value(h, TAGS, "X-Tags"));
        String parent = value(h, PARENT_ID, "X-Parent-Generation-Id");
        UUID parentId = null;
        if (parent != null) {
            try {
                parentId = UUID.fromString(parent);
            } catch (IllegalArgumentException e) {
                throw new Invalid("X-Parent-Generation-Id", "X-Parent-Generation-Id is '" + parent + "' but must be "
                        + "the X-Generation-Id of an earlier response (a UUID such as "
                        + "0192f5e4-7c1a-7b3e-9d2f-3a4b5c6d7e8f)");
            }
        }
        return new Attribution(value(h, ARTICLE_ID, "X-Article-Id"), value(h, TASK, "X-Task"),
                value(h, CATEGORY, "X-Category"), value(h, CONTENT_PRODUCT, "X-Content-Product"),
                value(h, PIPELINE_STEP, "X-Pipeline-Step"), parentId, tags);
    }

    private static String value(HttpHeaders h, String name, String display) throws Invalid {
        String first = h.get(name);
        if (first == null) {
            return null; // most attribution headers are absent from most requests: no list for them
        }
        List<String> all = h.getAll(name);
        if (all.size() > 1) {
            throw new Invalid(display, display + " is sent " + all.size() + " times; send it once");
        }
        String v = first.strip();
        if (v.isEmpty()) {
            return null;
        }
        if (v.length() > MAX_LENGTH) {
            throw new Invalid(display, display + " is " + v.length() + " characters long; at most " + MAX_LENGTH
                    + " are allowed");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (Character.isISOControl(c)) {
                throw new Invalid(display, display + " contains a control character (U+%04X at position %d); "
                        .formatted((int) c, i) + "use printable text");
            }
        }
        return v;
    }

    private static Map<String, String> tags(String raw) throws Invalid {
        if (raw == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : raw.split(",")) {
            String p = pair.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new Invalid("X-Tags", "X-Tags has '" + p + "' but expects key=value pairs separated by commas, "
                        + "such as team=growth,feature=chatbot");
            }
            String key = p.substring(0, eq).strip();
            String value = p.substring(eq + 1).strip();
            if (out.put(key, value) != null) {
                throw new Invalid("X-Tags", "X-Tags names the key '" + key + "' twice; give each key once");
            }
            if (out.size() > MAX_TAGS) {
                throw new Invalid("X-Tags", "X-Tags has more than " + MAX_TAGS + " pairs; send at most " + MAX_TAGS);
            }
        }
        return out;
    }
}
