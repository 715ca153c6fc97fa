package dev.genledger.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NettyDefaultsTest {
    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(NettyDefaults.SAMPLING_INTERVAL);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(NettyDefaults.SAMPLING_INTERVAL);
        } else {
            System.setProperty(NettyDefaults.SAMPLING_INTERVAL, before);
        }
    }

    @Test
    void leakDetectionSamplesOneBufferIn4096WhenTheOperatorSetNothing() {
        System.clearProperty(NettyDefaults.SAMPLING_INTERVAL);
        NettyDefaults.apply();
        assertThat(System.getProperty(NettyDefaults.SAMPLING_INTERVAL)).isEqualTo("4096");
    }

    @Test
    void anOperatorsOwnSamplingIntervalIsKept() {
        System.setProperty(NettyDefaults.SAMPLING_INTERVAL, "64");
        NettyDefaults.apply();
        assertThat(System.getProperty(NettyDefaults.SAMPLING_INTERVAL)).isEqualTo("64");
    }
}
