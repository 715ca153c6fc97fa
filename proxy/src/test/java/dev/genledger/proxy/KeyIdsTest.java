package dev.genledger.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class KeyIdsTest {
    private static final byte[] SECRET = "a-server-secret-of-some-length".getBytes(StandardCharsets.UTF_8);

    private static String hmacPrefix(String credential) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(credential.getBytes(StandardCharsets.UTF_8)), 0, 8);
    }

    /** Ids are kept per event loop for the last few keys: more keys than that, in turn, keep their ids. */
    @Test
    void theKeyIdIsTheHmacPrefixWhetherRememberedOrNot() throws Exception {
        KeyIds ids = new KeyIds(SECRET);
        List<String> credentials = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            credentials.add("sk-proj-" + i);
        }
        for (int round = 0; round < 3; round++) {
            for (String c : credentials) {
                assertThat(ids.fingerprint(c)).as(c).isEqualTo(hmacPrefix(c));
            }
            assertThat(ids.fingerprint("sk-proj-7")).isEqualTo(hmacPrefix("sk-proj-7")); // a remembered one
        }
        assertThat(credentials.stream().map(ids::fingerprint).distinct()).hasSize(200);
        assertThat(new KeyIds("another-secret".getBytes(StandardCharsets.UTF_8)).fingerprint("sk-proj-7"))
                .isNotEqualTo(ids.fingerprint("sk-proj-7"));
    }
}
