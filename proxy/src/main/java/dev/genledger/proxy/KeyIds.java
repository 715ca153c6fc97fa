package dev.genledger.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fingerprints of provider credentials, so spend can be grouped by key without storing keys:
 * {@code key_id} = the first 16 hex digits of HMAC-SHA256(secret, credential). The credential
 * passes through to the provider untouched and is never stored or logged.
 */
final class KeyIds {
    /** Key ids kept per event loop: a gateway sees the same few keys in request after request. */
    private static final int RECENT = 64;

    /** One event loop's MAC and its recent key ids. */
    private static final class Loop {
        final Mac mac;
        final Map<String, String> recent = new java.util.LinkedHashMap<>(RECENT * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > RECENT;
            }
        };

        Loop(Mac mac) {
            this.mac = mac;
        }
    }

    private final ThreadLocal<Loop> loop;

    KeyIds(byte[] secret) {
        SecretKeySpec key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.loop = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(key);
                return new Loop(m);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
            }
        });
    }

    /** The key id of a request's credential, or null when it carries none. */
    String of(HttpHeaders headers, Map<String, List<String>> query) {
        String credential = credential(headers, query);
        return credential == null ? null : fingerprint(credential);
    }

    /**
     * The key id of a credential. The HMAC was a few percent of the proxy's time per request, so
     * the last {@value #RECENT} ids of each event loop are kept in memory, by credential (held only
     * there, as the live requests hold it anyway; never written anywhere).
     */
    String fingerprint(String credential) {
        Loop l = loop.get();
        String id = l.recent.get(credential);
        if (id == null) {
            byte[] h = l.mac.doFinal(credential.getBytes(StandardCharsets.UTF_8));
            id = HexFormat.of().formatHex(h, 0, 8);
            l.recent.put(credential, id);
        }
        return id;
    }

    /**
     * The credential, wherever the provider's SDK puts it: {@code Authorization: Bearer|Token …}
     * (OpenAI, Replicate, Gemini OAuth), {@code x-goog-api-key} or {@code ?key=} (Gemini),
     * {@code xi-api-key} (ElevenLabs).
     */
    static String credential(HttpHeaders headers, Map<String, List<String>> query) {
        String auth = headers.get("authorization");
        if (auth != null) {
            String a = auth.strip();
            int space = a.indexOf(' ');
            String scheme = space < 0 ? "" : a.substring(0, space).toLowerCase(Locale.ROOT);
            if (scheme.equals("bearer") || scheme.equals("token")) {
                return a.substring(space + 1).strip();
            }
            return a;
        }
        for (String name : new String[] {"x-goog-api-key", "xi-api-key", "api-key", "x-api-key"}) {
            String v = headers.get(name);
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        List<String> key = query.get("key");
        return key == null || key.isEmpty() ? null : key.get(0);
    }
}
