package dev.genledger.proxy.elevenlabs;

import dev.genledger.ledger.Modality;

/**
 * What an ElevenLabs request is, from its method and path alone ({@code /v1/text-to-speech/{voice_id}},
 * {@code /v1/speech-to-text}, …).
 *
 * @param defaultModel the model the API uses when the request names none (OpenAPI defaults), or null
 * @param rawAudio     the success response is audio bytes (not JSON with base64 audio)
 * @param jobId        the transcription id of a transcript fetch, else null
 */
record ElevenLabsRoute(Kind kind, String operation, Modality modality, String defaultModel, boolean streamed,
                       boolean rawAudio, String jobId) {

    enum Kind {
        /** Text to speech and text to dialogue: billed per character, metered by {@code character-cost}. */
        SPEECH,
        /** Sound effects: credits per second of audio. */
        SOUND,
        /** Music: per minute of music, the length asked for in the request. */
        MUSIC,
        /** Speech to speech (voice changer): per minute of input audio, metered by {@code character-cost}. */
        VOICE_CHANGE,
        /** Speech to text: per hour of audio, {@code audio_duration_secs} in the response. */
        TRANSCRIPTION,
        /** A fetch of a finished transcript (the asynchronous, webhook mode of speech to text). */
        TRANSCRIPT,
        /** Anything that generates nothing: models, voices, history, account, unknown routes. */
        CONTROL
    }

    static final String TTS_DEFAULT = "eleven_multilingual_v2";
    static final String DIALOGUE_DEFAULT = "eleven_v3";
    static final String SOUND_DEFAULT = "eleven_text_to_sound_v2";
    static final String MUSIC_DEFAULT = "music_v1";
    static final String VOICE_CHANGE_DEFAULT = "eleven_english_sts_v2";

    static ElevenLabsRoute of(String method, String path) {
        String[] s = (path.startsWith("/") ? path.substring(1) : path).split("/");
        if (s.length < 2 || !s[0].equals("v1")) {
            return control("other");
        }
        String tail = String.join("/", java.util.Arrays.copyOfRange(s, 2, s.length));
        if (method.equals("GET")) {
            if (s[1].equals("speech-to-text") && s.length == 4 && s[2].equals("transcripts")) {
                return new ElevenLabsRoute(Kind.TRANSCRIPT, "poll", Modality.NONE, null, false, false, s[3]);
            }
            return control(s[1].equals("models") ? "models" : "other");
        }
        if (!method.equals("POST")) {
            return control("other");
        }
        return switch (s[1]) {
            case "text-to-speech" -> s.length < 3 ? control("other")
                    : speech("speech", TTS_DEFAULT, String.join("/", java.util.Arrays.copyOfRange(s, 3, s.length)));
            case "text-to-dialogue" -> speech("dialogue", DIALOGUE_DEFAULT, tail);
            case "sound-generation" -> tail.isEmpty() ? audio(Kind.SOUND, "sound", SOUND_DEFAULT, false) : control("other");
            case "music" -> switch (tail) {
                case "", "detailed" -> audio(Kind.MUSIC, "music", MUSIC_DEFAULT, false);
                case "stream" -> audio(Kind.MUSIC, "music", MUSIC_DEFAULT, true);
                default -> control("other"); // plan: a composition plan, no audio
            };
            case "speech-to-speech" -> s.length == 3 || s.length == 4 && s[3].equals("stream")
                    ? audio(Kind.VOICE_CHANGE, "speech_to_speech", VOICE_CHANGE_DEFAULT, s.length == 4)
                    : control("other");
            case "speech-to-text" -> tail.isEmpty()
                    ? new ElevenLabsRoute(Kind.TRANSCRIPTION, "transcription", Modality.AUDIO, null, false, false, null)
                    : control("other");
            default -> control("other");
        };
    }

    /** {@code ""} audio, {@code stream} chunked audio, {@code with-timestamps} JSON, {@code stream/with-timestamps} NDJSON. */
    private static ElevenLabsRoute speech(String operation, String defaultModel, String variant) {
        return switch (variant) {
            case "" -> audio(Kind.SPEECH, operation, defaultModel, false);
            case "stream" -> audio(Kind.SPEECH, operation, defaultModel, true);
            case "with-timestamps" -> timestamps(operation, defaultModel, false);
            case "stream/with-timestamps" -> timestamps(operation, defaultModel, true);
            default -> control("other");
        };
    }

    /** A generation answered with raw audio bytes. */
    private static ElevenLabsRoute audio(Kind kind, String operation, String defaultModel, boolean streamed) {
        return new ElevenLabsRoute(kind, operation, Modality.AUDIO, defaultModel, streamed, true, null);
    }

    /** Speech answered with base64 audio and its alignment, as one JSON object or as NDJSON. */
    private static ElevenLabsRoute timestamps(String operation, String defaultModel, boolean streamed) {
        return new ElevenLabsRoute(Kind.SPEECH, operation, Modality.AUDIO, defaultModel, streamed, false, null);
    }

    private static ElevenLabsRoute control(String operation) {
        return new ElevenLabsRoute(Kind.CONTROL, operation, Modality.NONE, null, false, false, null);
    }
}
