package dev.mecgw.ran.identity;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IP prefix from which the 5G core (SMF/UPF) assigns UE addresses on one slice, e.g. {@code 10.45.0.0/16}.
 *
 * @param network the prefix address bytes
 * @param prefixLength number of leading bits that must match
 */
public record UeSubnet(byte[] network, int prefixLength) {

    /**
     * Parses CIDR notation; IPv4 and IPv6.
     *
     * @throws IllegalArgumentException for anything else (no DNS lookups are made)
     */
    public static UeSubnet parse(String cidr) {
        String[] parts = cidr.trim().split("/", 2);
        if (parts.length != 2 || !parts[0].matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            throw new IllegalArgumentException("not a CIDR prefix: " + cidr);
        }
        try {
            byte[] address = InetAddress.getByName(parts[0]).getAddress();
            int length = Integer.parseInt(parts[1]);
            if (length < 0 || length > address.length * 8) {
                throw new IllegalArgumentException("prefix length out of range: " + cidr);
            }
            return new UeSubnet(address, length);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR prefix: " + cidr, e);
        }
    }

    /** Whether {@code address} lies in this prefix (same family only). */
    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        int mask = (0xff << (8 - rest)) & 0xff;
        return rest == 0 || (candidate[full] & mask) == (network[full] & mask);
    }
}
