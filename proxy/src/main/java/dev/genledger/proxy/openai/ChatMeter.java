package dev.genledger.proxy.openai;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import java.io.IOException;

/**
 * Chat completions ({@code POST /v1/chat/completions}) and the legacy completions API
 * ({@code POST /v1/completions}), which shares chat's usage shape. Usage is the body's
 * {@code usage}, or a stream's usage-only chunk ({@code choices: []}) that comes only when the
 * request set {@code stream_options.include_usage} (the gateway asks for it itself, see
 * {@link StreamUsageRewriter}); every other chunk carries {@code usage: null}.
 */
final class ChatMeter extends TextMeter {

    @Override
    void onRequestValue(String path, JsonToken token, JsonStream s, long stringBytes) throws IOException {
        switch (path) {
            // the text a prompt is made of: message contents (a string or text parts), tool-call
            // arguments of earlier turns, and the legacy API's prompt (a string or strings)
            case "messages[].content", "messages[].content[].text", "messages[].tool_calls[].function.arguments",
                 "prompt", "prompt[]" -> promptBytes += stringBytes;
            case "service_tier" -> requestServiceTier = text(token, s);
            default -> { }
        }
    }

    @Override
    void onResponseValue(String event, String path, JsonToken token, JsonStream s) throws IOException {
        switch (path) {
            case "model" -> responseModel = text(token, s, responseModel);
            case "service_tier" -> {
                String tier = text(token, s, serviceTier);
                if (tier != null && !tier.equals("auto")) {
                    serviceTier = tier;
                }
            }
            // a stream sends about one token per content delta; a body's text is counted in bytes
            case "choices[].delta.content", "choices[].delta.refusal",
                 "choices[].delta.tool_calls[].function.arguments", "choices[].text",
                 "choices[].message.content", "choices[].message.refusal",
                 "choices[].message.tool_calls[].function.arguments" -> {
                if (token != JsonToken.VALUE_STRING || s.textLength() == 0) {
                    return;
                }
                if (event != null) {
                    outputDeltas++; // a delta's text is not needed, only that it has some
                } else {
                    outputTextBytes += s.textUtf8Length();
                }
            }
            default -> { }
        }
    }

    @Override
    Metered finish(Outcome outcome) {
        return finishText(outcome);
    }
}
