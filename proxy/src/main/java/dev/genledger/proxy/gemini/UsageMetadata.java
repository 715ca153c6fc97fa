package dev.genledger.proxy.gemini;

import dev.genledger.pricing.Usage;

/**
 * One {@code usageMetadata} object as read, field by field. Any count may be absent (zero).
 *
 * <p>Gemini's counts are not all additive the way {@link Usage} is: {@code cachedContentTokenCount}
 * is inside {@code promptTokenCount}, but {@code thoughtsTokenCount} is not inside
 * {@code candidatesTokenCount} (the SDK documents total = prompt + candidates + toolUsePrompt +
 * thoughts), and tool-use prompt tokens (URL context, code execution results fed back) are billed
 * as input.
 */
final class UsageMetadata {
    long prompt;
    long candidates;
    long thoughts;
    long toolUsePrompt;
    long cached;
    long promptAudio;
    long promptImage;
    long candidatesAudio;
    long candidatesImage;

    /** Sets a top-level count by its path in the response ({@code usageMetadata.…}); others are ignored. */
    void count(String path, long value) {
        switch (path) {
            case "usageMetadata.promptTokenCount" -> prompt = value;
            case "usageMetadata.candidatesTokenCount" -> candidates = value;
            case "usageMetadata.thoughtsTokenCount" -> thoughts = value;
            case "usageMetadata.toolUsePromptTokenCount" -> toolUsePrompt = value;
            case "usageMetadata.cachedContentTokenCount" -> cached = value;
            default -> { }
        }
    }

    /**
     * One {@code {modality, tokenCount}} entry of a details list, named by the entry's path
     * ({@code usageMetadata.promptTokensDetails[]}). Only the modalities that have their own price
     * are kept: audio input, image input, and audio or image output.
     */
    void detail(String entry, String modality, long tokens) {
        if (modality == null) {
            return;
        }
        switch (entry) {
            case "usageMetadata.promptTokensDetails[]", "usageMetadata.toolUsePromptTokensDetails[]" -> {
                if (modality.equals("AUDIO")) {
                    promptAudio += tokens;
                } else if (modality.equals("IMAGE")) {
                    promptImage += tokens;
                }
            }
            case "usageMetadata.candidatesTokensDetails[]" -> {
                if (modality.equals("AUDIO")) {
                    candidatesAudio += tokens;
                } else if (modality.equals("IMAGE")) {
                    candidatesImage += tokens;
                }
            }
            default -> { } // cacheTokensDetails: the cached part is already a subset of the prompt
        }
    }

    Usage.Builder toUsage() {
        return Usage.builder()
                .inputTokens(prompt + toolUsePrompt)
                .cachedInputTokens(cached)
                .inputAudioTokens(promptAudio)
                .inputImageTokens(promptImage)
                .outputTokens(candidates + thoughts)
                .reasoningTokens(thoughts)
                .outputAudioTokens(candidatesAudio)
                .outputImageTokens(candidatesImage);
    }
}
