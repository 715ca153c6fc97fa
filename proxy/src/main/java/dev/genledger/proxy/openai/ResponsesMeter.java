package dev.genledger.proxy.openai;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import dev.genledger.proxy.provider.AsyncJob;
import java.io.IOException;
import java.util.Set;

/**
 * The Responses API. {@code POST /v1/responses} answers with a response object whose
 * {@code usage} is billed even when {@code status} is {@code incomplete}; a stream has
 * {@code event:} lines, no {@code [DONE]}, and the usage only in its terminal event
 * ({@code response.completed}, {@code response.incomplete}, {@code response.failed}; the last two
 * may carry {@code usage: null}). The response object sits under {@code response} in lifecycle
 * events, so a stream's paths are read with that prefix taken off.
 *
 * <p>A {@code background: true} request answers {@code queued} at once and is billed when it
 * finishes: its row is written pending ({@link AsyncJob.Started} with the response id), and a
 * retrieval ({@code GET /v1/responses/{id}}, or a cancel) that sees it terminal finalises it.
 */
final class ResponsesMeter extends TextMeter {
    private static final Set<String> OUTPUT_DELTAS = Set.of("response.output_text.delta", "response.refusal.delta",
            "response.function_call_arguments.delta", "response.reasoning_summary_text.delta",
            "response.reasoning_text.delta", "response.custom_tool_call_input.delta");

    private final boolean retrieval;
    private boolean requestBackground;
    private String id;
    private String status;
    private boolean background;
    private String error;

    /** @param retrieval a retrieval or cancel of a stored response (a poll), not a generation */
    ResponsesMeter(boolean retrieval) {
        this.retrieval = retrieval;
    }

    @Override
    void onRequestValue(String path, JsonToken token, JsonStream s, long stringBytes) throws IOException {
        switch (path) {
            // the input's text: a string, messages with string or text-part content, tool outputs
            // and arguments of earlier turns, and the instructions
            case "input", "input[].content", "input[].content[].text", "input[].output", "input[].arguments",
                 "instructions" -> promptBytes += token == JsonToken.VALUE_STRING ? stringBytes : 0;
            case "background" -> requestBackground = token == JsonToken.VALUE_TRUE;
            case "service_tier" -> requestServiceTier = text(token, s);
            default -> { }
        }
    }

    @Override
    String usagePath(String event) {
        return event == null ? "usage" : "response.usage";
    }

    @Override
    void onResponseValue(String event, String path, JsonToken token, JsonStream s) throws IOException {
        String p = path;
        if (event != null) {
            if (path.equals("type") && OUTPUT_DELTAS.contains(text(token, s))) {
                outputDeltas++; // about one token each
                return;
            }
            if (!path.startsWith("response.")) {
                return;
            }
            p = path.substring("response.".length());
        }
        switch (p) {
            case "model" -> responseModel = text(token, s);
            case "id" -> id = text(token, s);
            case "status" -> status = text(token, s);
            case "background" -> background = token == JsonToken.VALUE_TRUE;
            case "error.message" -> error = text(token, s);
            case "service_tier" -> {
                String tier = text(token, s);
                if (tier != null && !tier.equals("auto")) {
                    serviceTier = tier;
                }
            }
            case "output[].content[].text", "output[].arguments" -> {
                if (token == JsonToken.VALUE_STRING) {
                    outputTextBytes += s.textUtf8Length();
                }
            }
            default -> { }
        }
    }

    @Override
    Metered finish(Outcome outcome) {
        if (retrieval) {
            return new Metered(model(), Usage.NONE, false, finished());
        }
        if (outcome.body() == Body.JSON && (background || requestBackground) && id != null
                && ("queued".equals(status) || "in_progress".equals(status))) {
            // billed when it finishes: the row waits, pending, for a retrieval that sees it done
            return new Metered(model(), Usage.NONE, false, new AsyncJob.Started(id));
        }
        return finishText(outcome);
    }

    /** What a retrieval says about a background response: finished when it is terminal, else nothing. */
    private AsyncJob finished() {
        if (!background || id == null || status == null) {
            return AsyncJob.NONE; // a stored foreground response: its own row was complete already
        }
        Usage u = usage.reported() ? usage.toBuilder(UsageTally.Output.MIXED).attribute("service_tier", serviceTier).build()
                : null;
        return switch (status) {
            case "completed", "incomplete" -> new AsyncJob.Finished(id, 200, null, u, null);
            case "failed" -> new AsyncJob.Finished(id, 500, error != null ? error : "failed", u, null);
            case "cancelled" -> new AsyncJob.Finished(id, 499, "cancelled", u, null);
            default -> AsyncJob.NONE;
        };
    }
}
