package dev.keyward.opaque.authenticator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyward.opaque.Argon2idKsf;
import dev.keyward.opaque.OpaqueSuite;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
    private static DefaultOpaqueKeysProviderFactory.Settings read(Map<String, String> m) {
        return DefaultOpaqueKeysProviderFactory.Settings.read(m::get);
    }

    @Test
    void defaultsAreSerenitysDefault() {
        DefaultOpaqueKeysProviderFactory.Settings s = read(Map.of());
        assertEquals(OpaqueSuite.RISTRETTO255_SHA512, s.suite());
        assertEquals(Argon2idKsf.memoryConstrained(), s.ksf());
    }

    @Test
    void readsSuiteAndKsf() {
        DefaultOpaqueKeysProviderFactory.Settings s = read(Map.of(
                OpaqueConstants.CONFIG_SUITE,
                "P256-SHA256",
                OpaqueConstants.CONFIG_KSF_ITERATIONS,
                "2",
                OpaqueConstants.CONFIG_KSF_MEMORY,
                "19456",
                OpaqueConstants.CONFIG_KSF_PARALLELISM,
                "1"));
        assertEquals(OpaqueSuite.P256_SHA256, s.suite());
        assertEquals(new Argon2idKsf(2, 19456, 1), s.ksf());
    }

    @Test
    void refusesBadValues() {
        assertThrows(IllegalStateException.class, () -> read(Map.of(OpaqueConstants.CONFIG_SUITE, "sha1")));
        assertThrows(
                IllegalStateException.class,
                () -> read(Map.of(OpaqueConstants.CONFIG_SUITE, "ristretto255-X25519-SHA512")));
        assertThrows(IllegalStateException.class, () -> read(Map.of(OpaqueConstants.CONFIG_KSF_MEMORY, "lots")));
        assertThrows(IllegalStateException.class, () -> read(Map.of(OpaqueConstants.CONFIG_KSF_ITERATIONS, "0")));
    }
}
