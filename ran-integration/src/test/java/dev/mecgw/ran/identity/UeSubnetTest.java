package dev.mecgw.ran.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UeSubnetTest {

    @ParameterizedTest
    @CsvSource({
        "10.45.0.0/16, 10.45.255.1, true",
        "10.45.0.0/16, 10.46.0.1, false",
        "10.45.0.0/20, 10.45.15.255, true",
        "10.45.0.0/20, 10.45.16.0, false",
        "0.0.0.0/0, 192.0.2.1, true",
        "10.45.0.0/16, 2001:db8::1, false",
        "2001:db8::/32, 2001:db8:1::5, true"
    })
    void shouldMatchAddressesWhenTheyLieInThePrefix(String cidr, String address, boolean expected) {
        // given a prefix / when an address is tested / then membership follows the prefix bits
        assertThat(UeSubnet.parse(cidr).contains(SimIdentityCheckTest.address(address)))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"10.45.0.0", "10.45.0.0/33", "site.example/16", "10.45.0.0/x"})
    void shouldRejectTextWhenItIsNotACidrPrefix(String text) {
        // when malformed text is parsed / then a clear error, and no DNS lookup
        assertThatThrownBy(() -> UeSubnet.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
