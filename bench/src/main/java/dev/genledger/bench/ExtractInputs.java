package dev.genledger.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/**
 * The bodies {@link ExtractBench} parses, built in memory from a seed, shaped byte for byte like
 * the provider responses in the proxy's fixtures (key order, spacing, framing), at the sizes the
 * gateway must pass with bounded memory. Base64 payloads are random bytes behind a PNG signature:
 * compressed image data is as good as random, so their encoding looks like the real thing.
 */
final class ExtractInputs {
    /** A generation's request and response as the proxy would see them, and the usage it must yield. */
    record Input(String name, String provider, String method, String path, String requestContentType, byte[] request,
                 String responseContentType, byte[] body, boolean sse, long inputTokens, long outputTokens) {}

    private static final String[] WORDS = ("the of and to in is that it for on with as was at by an be this from "
            + "or are which have not had but were all their one there been has more when will would who so no they "
            + "river ledger token stream cost gateway model image otter forest light quiet number seventeen").split(" ");

    private ExtractInputs() {}

    /**
     * OpenAI {@code /v1/images/generations}, gpt-image-1, {@code n: 4} high-quality 1536×1024 PNGs:
     * four {@code b64_json} strings of {@code totalBytes / 4} each, then the usage (4 × 6208 image
     * tokens, OpenAI's figure for that size and quality).
     */
    static Input openAiImages(int totalBytes, long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder(totalBytes + 1024).append("{\n  \"created\": 1761564674,\n  \"data\": [");
        for (int i = 0; i < 4; i++) {
            b.append(i == 0 ? "\n" : ",\n").append("    {\n      \"b64_json\": \"").append(png(r, totalBytes / 4))
                    .append("\"\n    }");
        }
        b.append("\n  ],\n  \"background\": \"opaque\",\n  \"output_format\": \"png\",\n  \"size\": \"1536x1024\",\n"
                + "  \"quality\": \"high\",\n  \"usage\": {\n    \"total_tokens\": 24855,\n    \"input_tokens\": 23,\n"
                + "    \"output_tokens\": 24832,\n    \"input_tokens_details\": {\n      \"text_tokens\": 23,\n"
                + "      \"image_tokens\": 0\n    },\n    \"output_tokens_details\": {\n      \"image_tokens\": 24832,\n"
                + "      \"text_tokens\": 0\n    }\n  }\n}\n");
        String request = "{\"model\":\"gpt-image-1\",\"prompt\":\"A watercolor otter reading a ledger by a river at dusk\","
                + "\"n\":4,\"size\":\"1536x1024\",\"quality\":\"high\"}";
        return new Input("openai gpt-image-1 JSON (4 × b64_json)", "openai", "POST", "/v1/images/generations",
                "application/json", ascii(request), "application/json", ascii(b), false, 23, 24_832);
    }

    /**
     * Gemini {@code generateContent} on gemini-2.5-flash-image: a text part, one {@code inlineData}
     * part of {@code dataBytes}, then {@code usageMetadata} (1290 image tokens), as the unary fixture.
     */
    static Input geminiImage(int dataBytes, long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder(dataBytes + 1024).append("{\n  \"candidates\": [\n    {\n      \"content\": {\n"
                + "        \"parts\": [\n          {\n            \"text\": \"Here is the otter by the river, in watercolor.\"\n"
                + "          },\n          {\n            \"inlineData\": {\n              \"mimeType\": \"image/png\",\n"
                + "              \"data\": \"").append(png(r, dataBytes)).append("\"\n            }\n          }\n"
                + "        ],\n        \"role\": \"model\"\n      },\n      \"finishReason\": \"STOP\",\n      \"index\": 0\n"
                + "    }\n  ],\n  \"usageMetadata\": {\n    \"promptTokenCount\": 14,\n    \"candidatesTokenCount\": 1302,\n"
                + "    \"totalTokenCount\": 1316,\n    \"promptTokensDetails\": [\n      {\n        \"modality\": \"TEXT\",\n"
                + "        \"tokenCount\": 14\n      }\n    ],\n    \"candidatesTokensDetails\": [\n      {\n"
                + "        \"modality\": \"IMAGE\",\n        \"tokenCount\": 1290\n      }\n    ]\n  },\n"
                + "  \"modelVersion\": \"gemini-2.5-flash-image\",\n  \"responseId\": \"mS77aIOaD5qFvr0P1b_T4AY\"\n}\n");
        String request = "{\"contents\":[{\"parts\":[{\"text\":\"A watercolor otter reading a ledger by a river\"}]}],"
                + "\"generationConfig\":{\"responseModalities\":[\"IMAGE\",\"TEXT\"]}}";
        return new Input("gemini 2.5-flash-image JSON (inlineData)", "gemini", "POST",
                "/v1beta/models/gemini-2.5-flash-image:generateContent", "application/json", ascii(request),
                "application/json; charset=UTF-8", ascii(b), false, 14, 1302);
    }

    /**
     * OpenAI chat-completions stream on gpt-4o-2024-08-06 with {@code include_usage}: one
     * {@code chat.completion.chunk} per token (LF-framed, {@code "usage":null} and an
     * {@code obfuscation} pad on each), as the recorded stream, until {@code totalBytes}; then the
     * finish chunk, the usage chunk and {@code [DONE]}.
     */
    static Input openAiChatStream(int totalBytes, long seed) {
        Random r = new Random(seed);
        String head = "data: {\"id\":\"chatcmpl-CVFjOTBIgA3kuQLnIXXxtg7Ge7hbs\",\"object\":\"chat.completion.chunk\","
                + "\"created\":1761564674,\"model\":\"gpt-4o-2024-08-06\",\"service_tier\":\"default\","
                + "\"system_fingerprint\":\"fp_b1442291a8\",\"choices\":[{\"index\":0,\"delta\":";
        ByteArrayOutputStream out = new ByteArrayOutputStream(totalBytes + 4096);
        write(out, head + "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,"
                + "\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"kSx18\"}\n\n");
        long tokens = 0;
        while (out.size() < totalBytes) {
            String token = (r.nextInt(8) == 0 ? ".\\n" : " ") + WORDS[r.nextInt(WORDS.length)];
            write(out, head + "{\"content\":\"" + token + "\"},\"logprobs\":null,\"finish_reason\":null}],"
                    + "\"usage\":null,\"obfuscation\":\"" + pad(r, 1 + r.nextInt(12)) + "\"}\n\n");
            tokens++;
        }
        write(out, head + "{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null,\"obfuscation\":\"a\"}\n\n");
        write(out, head.substring(0, head.indexOf("[{")) + "[],\"usage\":{\"prompt_tokens\":1187,\"completion_tokens\":"
                + tokens + ",\"total_tokens\":" + (1187 + tokens) + ",\"prompt_tokens_details\":{\"cached_tokens\":1024,"
                + "\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
                + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},\"obfuscation\":\"8618FsxJD2gV\"}\n\n");
        write(out, "data: [DONE]\n\n");
        String request = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Write a very long story about "
                + "otters.\"}],\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
        return new Input("openai chat SSE (" + (tokens + 3) + " events)", "openai", "POST", "/v1/chat/completions",
                "application/json", ascii(request), "text/event-stream; charset=utf-8", out.toByteArray(), true, 1187,
                tokens);
    }

    /**
     * Gemini {@code streamGenerateContent?alt=sse} on gemini-2.5-flash: CRLF-framed events of a few
     * dozen words each, every one with the cumulative {@code usageMetadata} (as the recorded
     * stream), until {@code totalBytes}; the last adds {@code finishReason} and the thoughts.
     */
    static Input geminiStream(int totalBytes, long seed) {
        Random r = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(totalBytes + 4096);
        long candidates = 0;
        int events = 0;
        boolean last = false;
        while (!last) {
            last = out.size() >= totalBytes;
            StringBuilder text = new StringBuilder();
            int words = 20 + r.nextInt(40);
            for (int i = 0; i < words; i++) {
                text.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
            }
            text.append(r.nextInt(4) == 0 ? ".\\n\\n" : ". ");
            candidates += words + 1;
            long thoughts = last ? 412 : 0;
            write(out, "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"" + text + "\"}],\"role\": \"model\"}"
                    + (last ? ",\"finishReason\": \"STOP\"" : "") + ",\"index\": 0}],\"usageMetadata\": {"
                    + "\"promptTokenCount\": 12,\"candidatesTokenCount\": " + candidates + ",\"totalTokenCount\": "
                    + (12 + candidates + thoughts) + ",\"promptTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": 12}]"
                    + (last ? ",\"thoughtsTokenCount\": " + thoughts : "") + "},\"modelVersion\": \"gemini-2.5-flash\","
                    + "\"responseId\": \"0J-HaJetAqv0jrEPwu-tsQ0\"}\r\n\r\n");
            events++;
        }
        String request = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Write a very long story about otters.\"}]}],"
                + "\"generationConfig\":{\"thinkingConfig\":{\"includeThoughts\":false}}}";
        return new Input("gemini alt=sse (" + events + " events)", "gemini", "POST",
                "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", "application/json", ascii(request),
                "text/event-stream", out.toByteArray(), true, 12, candidates + 412);
    }

    /** Base64 of {@code encodedBytes / 4 * 3} random bytes that start like a PNG file. */
    private static String png(Random r, int encodedBytes) {
        byte[] raw = new byte[encodedBytes / 4 * 3];
        r.nextBytes(raw);
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        System.arraycopy(signature, 0, raw, 0, signature.length);
        return Base64.getEncoder().encodeToString(raw);
    }

    private static String pad(Random r, int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append((char) ('A' + r.nextInt(26) + (r.nextBoolean() ? 32 : 0)));
        }
        return s.toString();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] ascii(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
