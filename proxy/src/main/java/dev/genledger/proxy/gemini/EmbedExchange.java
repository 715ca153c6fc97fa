package dev.genledger.proxy.gemini;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.Observation;
import java.io.IOException;

/**
 * embedContent and batchEmbedContents. The Gemini API reports no usage for embeddings (the
 * response is only vectors), so input tokens are estimated from the request text: about four
 * characters per token, summed over every text of every request in a batch, and marked estimated.
 * Should a response carry {@code usageMetadata.promptTokenCount} (as Vertex-style responses do),
 * that count is used instead.
 */
final class EmbedExchange extends JsonExchange {
    private final RequestText requestText;
    private long reportedTokens = -1;

    EmbedExchange(GeminiRoute route) {
        this(route, new RequestText());
    }

    private EmbedExchange(GeminiRoute route, RequestText requestText) {
        super(route, requestText, RequestText.MAX_TEXT_BYTES);
        this.requestText = requestText;
    }

    @Override
    void responseValue(String path, JsonToken token, JsonStream s) throws IOException {
        if (path.equals("usageMetadata.promptTokenCount")) {
            reportedTokens = s.longValue();
        }
    }

    @Override
    Observation success(Ending ending) {
        boolean complete = complete(ending);
        Usage usage = reportedTokens >= 0
                ? Usage.builder().inputTokens(reportedTokens).estimated(!complete).build()
                : Usage.builder().inputTokens(RequestText.tokens(requestText.chars())).estimated(true).build();
        return observation(usage, null, null, !complete, AsyncJob.NONE);
    }
}
