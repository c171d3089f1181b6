package dev.mecgw.app.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private final byte[] key = new byte[32];
    private final SecretCipher cipher = new SecretCipher(key);

    @Test
    void shouldRoundTripWhenOwnerMatches() {
        byte[] psk = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        byte[] sealed = cipher.encrypt(psk, "dev-1");
        assertThat(sealed).hasSize(12 + 16 + 16);
        assertThat(cipher.decrypt(sealed, "dev-1")).isEqualTo(psk);
        assertThat(cipher.encrypt(psk, "dev-1")).isNotEqualTo(sealed);
    }

    @Test
    void shouldFailWhenOwnerKeyOrCiphertextDiffers() {
        byte[] sealed = cipher.encrypt(new byte[16], "dev-1");
        assertThatThrownBy(() -> cipher.decrypt(sealed, "dev-2")).isInstanceOf(IllegalArgumentException.class);
        byte[] otherKey = new byte[32];
        Arrays.fill(otherKey, (byte) 1);
        assertThatThrownBy(() -> new SecretCipher(otherKey).decrypt(sealed, "dev-1"))
                .isInstanceOf(IllegalArgumentException.class);
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> cipher.decrypt(sealed, "dev-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SecretCipher(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }
}
