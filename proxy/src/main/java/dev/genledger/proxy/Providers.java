package dev.genledger.proxy;

import dev.genledger.proxy.elevenlabs.ElevenLabsAdapter;
import dev.genledger.proxy.gemini.GeminiAdapter;
import dev.genledger.proxy.openai.OpenAiAdapter;
import dev.genledger.proxy.provider.ProviderAdapter;
import dev.genledger.proxy.replicate.ReplicateAdapter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The four providers GenLedger meters, by the path prefix clients use. */
public final class Providers {
    private Providers() {}

    /**
     * @param injectOpenAiStreamUsage whether to ask OpenAI for usage on chat streams whose client did
     *                                not (upstreams.openai.inject_stream_usage)
     */
    public static Map<String, ProviderAdapter> all(boolean injectOpenAiStreamUsage) {
        Map<String, ProviderAdapter> m = new LinkedHashMap<>();
        m.put("openai", new OpenAiAdapter(injectOpenAiStreamUsage));
        m.put("gemini", new GeminiAdapter());
        m.put("elevenlabs", new ElevenLabsAdapter());
        m.put("replicate", new ReplicateAdapter());
        return Map.copyOf(m);
    }
}
