package dev.mecgw.app.ota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.gateway.DataDirectory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirmwareSignerTest {

    private static final String SHA = "a".repeat(64);

    @TempDir
    Path dir;

    @Test
    void shouldVerifyWithThePublicKeyWhenNameVersionAndHashMatch() {
        FirmwareSigner signer = FirmwareSigner.of(new DataDirectory(dir));

        String signature = signer.sign("fw.bin", "2.0", SHA);

        assertThat(FirmwareSigner.verify(signer.publicKey(), "fw.bin", "2.0", SHA, signature))
                .isTrue();
        assertThat(FirmwareSigner.verify(signer.publicKey(), "fw.bin", "2.1", SHA, signature))
                .isFalse();
        assertThat(FirmwareSigner.verify(signer.publicKey(), "fw.bin", "2.0", "b".repeat(64), signature))
                .isFalse();
        assertThat(FirmwareSigner.verify(signer.publicKey(), "other.bin", "2.0", SHA, signature))
                .isFalse();
        assertThat(FirmwareSigner.verify(signer.publicKey(), "fw.bin", "2.0", SHA, "bm90IGEgc2lnbmF0dXJl"))
                .isFalse();
    }

    @Test
    void shouldKeepTheSameKeyWhenTheGatewayRestarts() {
        String first = FirmwareSigner.of(new DataDirectory(dir)).publicKey();

        String again = FirmwareSigner.of(new DataDirectory(dir)).publicKey();

        assertThat(again).isEqualTo(first);
        assertThat(FirmwareSigner.of(new DataDirectory(dir.resolve("other"))).publicKey())
                .isNotEqualTo(first);
    }

    @Test
    void shouldDeriveTheRfc8032PublicKeyFromTheSeed() {
        // RFC 8032 section 7.1, TEST 1
        byte[] seed =
                java.util.HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        String spki = FirmwareSigner.fromSeed(seed).publicKey();
        byte[] der = java.util.Base64.getDecoder().decode(spki);
        byte[] raw = java.util.Arrays.copyOfRange(der, der.length - 32, der.length);
        assertThat(java.util.HexFormat.of().formatHex(raw))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    }
}
