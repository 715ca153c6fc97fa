package dev.genledger.proxy.openai;

import static dev.genledger.proxy.openai.Observe.observation;
import static dev.genledger.proxy.openai.Observe.openai;
import static dev.genledger.proxy.openai.Observe.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.ledger.Modality;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.ExchangeHarness;
import dev.genledger.proxy.provider.Observation;
import org.junit.jupiter.api.Test;

class OpenAiEmbeddingsTest {
    private static ExchangeHarness embed(String request) {
        return openai().request("POST", "/v1/embeddings").requestBody(request);
    }

    @Test
    void anEmbeddingReportsItsPromptTokens() {
        // the full header set of a brotli response: the proxy hands the adapter the decoded body
        Observation o = observation(embed(text("openai_embeddings_request.json"))
                .response(200, text("openai_embeddings.json")).responseHeaders(text("openai_response_headers_full.txt")));

        // usage.prompt_tokens 8
        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(8).build());
        assertThat(o.operation()).isEqualTo("embeddings");
        assertThat(o.modality()).isEqualTo(Modality.EMBEDDING);
        assertThat(o.model()).isEqualTo("text-embedding-3-small");
        assertThat(o.incomplete()).isFalse();
        assertThat(o.upstreamRequestId()).isEqualTo("req_0123456789abcdef0123456789abcdef");
    }

    @Test
    void base64VectorsAreSkippedAndTheUsageAfterThemIsRead() {
        String vector = "AAAAPwAAgD8=".repeat(20_000); // 240 KB, past the parser's string cap
        String body = "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"embedding\":\"" + vector + "\",\"index\":0},"
                + "{\"object\":\"embedding\",\"embedding\":\"" + vector + "\",\"index\":1}],"
                + "\"model\":\"text-embedding-3-large\",\"usage\":{\"prompt_tokens\":21,\"total_tokens\":21}}";
        Observation o = observation(embed("{\"model\":\"text-embedding-3-large\",\"input\":[\"a\",\"b\"],\"encoding_format\":\"base64\"}")
                .response(200, body).responseHeader("content-type", "application/json"));

        assertThat(o.usage()).isEqualTo(Usage.builder().inputTokens(21).build());
        assertThat(o.model()).isEqualTo("text-embedding-3-large");
    }

    @Test
    void aCutResponseIsEstimatedFromTheInputTextAndTokenIds() {
        Observation text = observation(embed(text("openai_embeddings_request.json"))
                .response(200, text("openai_embeddings.json")).cutAfter(40, Ending.CLIENT_ABORTED));
        // "The food was delicious and the waiter..." is 40 bytes → ceil(40 / 4) = 10 tokens
        assertThat(text.usage()).isEqualTo(Usage.builder().inputTokens(10).estimated(true).build());
        assertThat(text.incomplete()).isTrue();

        Observation ids = observation(embed("{\"model\":\"text-embedding-3-small\",\"input\":[[1212,318,257],[1332,13]]}")
                .ending(Ending.CLIENT_ABORTED));
        // token ids count one token each: 3 + 2 = 5
        assertThat(ids.usage()).isEqualTo(Usage.builder().inputTokens(5).estimated(true).build());
    }
}
