package dev.genledger.proxy.openai;

import static dev.genledger.proxy.openai.Observe.afterEvent;
import static dev.genledger.proxy.openai.Observe.everyWay;
import static dev.genledger.proxy.openai.Observe.fixture;
import static dev.genledger.proxy.openai.Observe.observation;
import static dev.genledger.proxy.openai.Observe.openai;
import static dev.genledger.proxy.openai.Observe.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.ledger.Modality;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.Exchange;
import dev.genledger.proxy.provider.ExchangeHarness;
import dev.genledger.proxy.provider.HeaderView;
import dev.genledger.proxy.provider.Observation;
import dev.genledger.proxy.provider.RequestInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiImagesTest {
    private static ExchangeHarness generate(String request) {
        return openai().request("POST", "/v1/images/generations").requestBody(request);
    }

    private static ExchangeHarness form(String path, Form form) {
        return openai().request("POST", path).requestHeader("content-type", Form.contentType()).requestBody(form.bytes());
    }

    private static ExchangeHarness json(ExchangeHarness h, String body) {
        return h.response(200, body).responseHeader("content-type", "application/json");
    }

    private static ExchangeHarness events(ExchangeHarness h, String body) {
        return h.response(200, body).responseHeader("content-type", "text/event-stream");
    }

    /** A PNG-looking upload of the given size. */
    private static byte[] image(int bytes) {
        byte[] b = new byte[bytes];
        Arrays.fill(b, (byte) 0x5A);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, 0, b, 0, 8);
        return b;
    }

    @Test
    void aGptImageGenerationReportsTextAndImageTokensAndTheImagesMade() {
        Observation o = observation(json(generate(text("openai_image_gpt-image-1_request.json")),
                text("openai_image_gpt-image-1.json")));

        // input 16 = text 16 + image 0; output 1056 = image 1056 + text 0; one element in data;
        // size and quality as the response echoes them
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(16).outputTokens(1056).outputImageTokens(1056)
                .images(1).attribute("size", "1024x1024").attribute("quality", "medium").build());
        assertThat(o.operation()).isEqualTo("image");
        assertThat(o.modality()).isEqualTo(Modality.IMAGE);
        assertThat(o.model()).isEqualTo("gpt-image-1");
        assertThat(o.incomplete()).isFalse();
    }

    @Test
    void withoutOutputDetailsEveryOutputTokenOfAnImageModelIsAnImageToken() {
        Observation o = observation(json(generate("{\"model\":\"gpt-image-1\",\"prompt\":\"otter\"}"),
                text("openai_image_spec_example.json")));

        // input 50 ⊇ image 40 (text 10); output 50, no output details → all 50 image tokens
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(50).inputImageTokens(40).outputTokens(50)
                .outputImageTokens(50).images(1).attribute("size", "1024x1024").attribute("quality", "high").build());
    }

    @Test
    void dallE3IsCountedInImagesWithTheRequestSizeAndQuality() {
        Observation o = observation(json(generate(text("openai_image_dall-e-3_request.json")),
                text("openai_image_dall-e-3.json")));

        // no usage: 1 element in data, at the request's 1024x1792 hd
        assertThat(o.usage()).isEqualTo(Usage.builder().images(1).attribute("size", "1024x1792")
                .attribute("quality", "hd").build());
        assertThat(o.model()).isEqualTo("dall-e-3");
        assertThat(o.incomplete()).isFalse();
    }

    @Test
    void dallEDefaultsAreFilledInAndTheModelDefaultsToDallE2() {
        Observation e3 = observation(json(generate("{\"model\":\"dall-e-3\",\"prompt\":\"otter\",\"quality\":\"auto\"}"),
                text("openai_image_dall-e-3.json")));
        assertThat(e3.usage()).isEqualTo(Usage.builder().images(1).attribute("size", "1024x1024")
                .attribute("quality", "standard").build());

        String two = "{\"created\":1,\"data\":[{\"url\":\"https://example.com/a.png\"},{\"url\":\"https://example.com/b.png\"}]}";
        Observation e2 = observation(json(generate("{\"prompt\":\"otter\",\"n\":2}"), two));
        assertThat(e2.model()).isEqualTo("dall-e-2");
        assertThat(e2.usage()).isEqualTo(Usage.builder().images(2).attribute("size", "1024x1024").build());
    }

    @Test
    void aGptImageOnlyParameterMakesTheDefaultModelGptImage1() {
        Observation o = observation(json(generate("{\"prompt\":\"A cute baby sea otter\",\"output_format\":\"webp\"}"),
                text("openai_image_gpt-image-1.json")));
        assertThat(o.model()).isEqualTo("gpt-image-1");
        assertThat(o.usage().outputImageTokens()).isEqualTo(1056);
    }

    @Test
    void aCutDallEResponseCountsTheImagesAskedFor() {
        Observation o = observation(json(generate("{\"model\":\"dall-e-3\",\"prompt\":\"otter\",\"size\":\"1792x1024\"}"),
                text("openai_image_dall-e-3.json")).cutAfter(30, Ending.CLIENT_ABORTED));

        // n defaults to 1
        assertThat(o.usage()).isEqualTo(Usage.builder().images(1).attribute("size", "1792x1024")
                .attribute("quality", "standard").estimated(true).build());
        assertThat(o.incomplete()).isTrue();
    }

    @Test
    void aCutGptImageResponseIsEstimatedFromOpenAisTokenTable() {
        String request = "{\"model\":\"gpt-image-1\",\"prompt\":\"A watercolor fox\",\"size\":\"1024x1536\","
                + "\"quality\":\"high\",\"n\":2}";
        Observation o = observation(json(generate(request), text("openai_image_gpt-image-1.json"))
                .cutAfter(60, Ending.UPSTREAM_FAILED));

        // input: "A watercolor fox" = 16 bytes → 4 tokens; output: 2 images × 6240 (high, 1024x1536)
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(4).outputTokens(12_480).outputImageTokens(12_480)
                .images(2).attribute("size", "1024x1536").attribute("quality", "high").estimated(true).build());
        assertThat(o.incomplete()).isTrue();
    }

    @Test
    void anImageStreamIsReadFromItsCompletedEvent() {
        ExchangeHarness.Result r = everyWay(events(generate(
                "{\"model\":\"gpt-image-1\",\"prompt\":\"otter\",\"stream\":true,\"partial_images\":1,\"size\":\"1024x1024\"}"),
                text("openai_image_stream.sse")));

        // image_generation.completed: input 50 ⊇ image 40, output 50 (all image tokens); one completed image
        assertThat(r.observation().usage()).isEqualTo(Usage.builder().inputTokens(50).inputImageTokens(40)
                .outputTokens(50).outputImageTokens(50).images(1).attribute("size", "1024x1024").build());
        assertThat(r.observation().streamed()).isTrue();
        assertThat(r.clientText()).isEqualTo(text("openai_image_stream.sse"));
    }

    @Test
    void anImageStreamCutAfterItsPartialImageIsEstimated() {
        byte[] sse = fixture("openai_image_stream.sse");
        Observation o = observation(events(generate("{\"model\":\"gpt-image-1\",\"prompt\":\"otter\",\"stream\":true,"
                + "\"quality\":\"low\"}"), text("openai_image_stream.sse")).cutAfter(afterEvent(sse, 1), Ending.CLIENT_ABORTED));

        // input: "otter" = 5 bytes → 2 tokens; output: 1 image (n) × 272 (low, square by default)
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(2).outputTokens(272).outputImageTokens(272)
                .images(1).attribute("quality", "low").estimated(true).build());
        assertThat(o.incomplete()).isTrue();
    }

    @Test
    void anEditReadsItsModelFromTheFormAfterTheImagePartsAndCountsImageInputTokens() {
        Form form = new Form()
                .file("image[]", "otter.png", "image/png", image(300_000))
                .file("image[]", "hat.png", "image/png", image(200_000))
                .field("prompt", "Put the hat on the otter")
                .field("model", "gpt-image-1")
                .field("quality", "high");
        Observation o = observation(json(form("/v1/images/edits", form), text("openai_image_edit_gpt-image-1.json")));

        // input 2265 ⊇ image 2244 (text 21); output 4160, no details → image tokens; 1 image
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(2265).inputImageTokens(2244).outputTokens(4160)
                .outputImageTokens(4160).images(1).attribute("size", "1024x1024").attribute("quality", "high").build());
        assertThat(o.operation()).isEqualTo("image_edit");
        assertThat(o.modality()).isEqualTo(Modality.IMAGE);
        assertThat(o.model()).isEqualTo("gpt-image-1");
    }

    @Test
    void anEditStreamIsReadFromItsCompletedEvent() {
        Form form = new Form().file("image", "otter.png", "image/png", image(50_000))
                .field("model", "gpt-image-1").field("prompt", "hat").field("stream", "true");
        Observation o = observation(events(form("/v1/images/edits", form), text("openai_image_edit_stream.sse")));

        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(50).inputImageTokens(40)
                .outputTokens(50).outputImageTokens(50).images(1).build());
        assertThat(o.streamed()).isTrue();
    }

    @Test
    void aVariationIsDallE2CountedInImagesOfTheRequestedSize() {
        Form form = new Form().file("image", "otter.png", "image/png", image(80_000))
                .field("n", "2").field("size", "512x512");
        String two = "{\"created\":1,\"data\":[{\"url\":\"https://example.com/a.png\"},{\"url\":\"https://example.com/b.png\"}]}";
        Observation o = observation(json(form("/v1/images/variations", form), two));

        assertThat(o.operation()).isEqualTo("image_variation");
        assertThat(o.model()).isEqualTo("dall-e-2");
        assertThat(o.usage()).isEqualTo(Usage.builder().images(2).attribute("size", "512x512").build());
    }

    @Test
    void anImageErrorHasTheMessageAndNoUsage() {
        Observation o = observation(generate(text("openai_image_dall-e-3_request.json"))
                .response(400, "{\"error\":{\"message\":\"Your request was rejected by the safety system.\","
                        + "\"type\":\"image_generation_user_error\",\"param\":null,\"code\":\"content_policy_violation\"}}"));
        assertThat(o.usage()).isEqualTo(Usage.NONE);
        assertThat(o.errorMessage()).isEqualTo("Your request was rejected by the safety system.");
        assertThat(o.model()).isEqualTo("dall-e-3");
    }

    @Test
    void twentyMegabytesOfBase64ImageAndUploadPassWithBoundedHeap() {
        // a 20 MB b64_json before the usage, and an edit whose 20 MB upload comes before the model field
        StringBuilder b = new StringBuilder(20_000_200).append("{\"created\":1,\"data\":[{\"b64_json\":\"");
        for (int i = 0; i < 20_000_000 / 4; i++) {
            b.append("iVBO");
        }
        b.append("\"}],\"size\":\"1536x1024\",\"quality\":\"high\",\"usage\":{\"input_tokens\":2265,\"output_tokens\":6208,"
                + "\"input_tokens_details\":{\"text_tokens\":21,\"image_tokens\":2244}}}");
        byte[] response = b.toString().getBytes(StandardCharsets.US_ASCII);
        b = null;
        byte[] request = new Form().file("image", "big.png", "image/png", image(20_000_000))
                .field("model", "gpt-image-1").field("prompt", "hat").bytes();

        Exchange ex = new OpenAiAdapter(true).begin(new RequestInfo("POST", "/v1/images/edits", Map.of(),
                HeaderView.of(Map.of("content-type", Form.contentType())), request.length));
        long before = usedHeap();
        feed(request, ex::requestBody);
        ex.requestEnd();
        ex.responseHead(200, HeaderView.of(Map.of("content-type", "application/json")));
        feed(response, ex::responseBody);
        ex.responseEnd();
        Observation o = ex.finish(Ending.COMPLETE);
        long grown = usedHeap() - before;

        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(2265).inputImageTokens(2244).outputTokens(6208)
                .outputImageTokens(6208).images(1).attribute("size", "1536x1024").attribute("quality", "high").build());
        assertThat(o.model()).isEqualTo("gpt-image-1");
        // nothing like the 20 MB bodies was held (a generous bound for the parsers' buffers)
        assertThat(grown).isLessThan(4L * 1024 * 1024);
    }

    private static void feed(byte[] bytes, java.util.function.Consumer<ByteBuffer> sink) {
        for (int i = 0; i < bytes.length; i += 16_384) {
            sink.accept(ByteBuffer.wrap(bytes, i, Math.min(16_384, bytes.length - i)));
        }
    }

    private static long usedHeap() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
