package dev.genledger.proxy.replicate;

import dev.genledger.ledger.Modality;
import java.util.List;
import java.util.Locale;

/**
 * Replicate runs every kind of model behind one endpoint, and the modality must be known before
 * the request is forwarded, from the route alone. It is guessed from the model's name; a prediction
 * created by a bare version id, or a name that says nothing, counts as an image (the bulk of
 * Replicate's traffic). The ledger uses the modality only to split LLM from media spend.
 */
final class ReplicateModality {
    private record Rule(Modality modality, List<String> words) {}

    /** First match wins: "gpt-image" is an image model, "video-…" a video one. */
    private static final List<Rule> RULES = List.of(
            new Rule(Modality.EMBEDDING, List.of("embed")),
            new Rule(Modality.IMAGE, List.of("image", "flux", "sdxl", "stable-diffusion", "ideogram", "recraft", "imagen")),
            new Rule(Modality.VIDEO, List.of("video", "veo", "kling", "seedance", "hailuo", "wan-2", "ltx", "mochi", "pixverse")),
            new Rule(Modality.AUDIO, List.of("whisper", "transcribe", "tts", "speech", "music", "audio", "voice", "sound",
                    "bark", "kokoro")),
            new Rule(Modality.TEXT, List.of("llama", "gpt", "claude", "mistral", "mixtral", "gemma", "qwen", "deepseek",
                    "granite", "phi-", "instruct", "chat", "llm", "lifeboat", "falcon", "vicuna", "gemini", "kimi")));

    private ReplicateModality() {}

    static Modality of(String model) {
        if (model == null) {
            return Modality.IMAGE;
        }
        String m = model.toLowerCase(Locale.ROOT);
        for (Rule r : RULES) {
            for (String w : r.words()) {
                if (m.contains(w)) {
                    return r.modality();
                }
            }
        }
        return Modality.IMAGE;
    }
}
