package dev.mecgw.inference.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MjpegPartsTest {

    @Test
    void shouldSplitPartsWhenSomeHaveContentLengthAndOthersNot() throws IOException {
        // given a preamble, a part with Content-Length whose body holds CR LF, and one without
        byte[] stream = bytes("preamble\r\n--frame\r\nContent-Type: image/jpeg\r\nContent-Length: 5\r\n\r\nab\r\nc\r\n"
                + "--frame\r\nContent-Type: image/jpeg\r\n\r\nsecond part\r\n--frame\r\n\r\nthird\r\n--frame--\r\n");
        MjpegParts parts = new MjpegParts(new ByteArrayInputStream(stream), "frame", 1024);

        // when / then
        assertThat(parts.next()).isEqualTo(bytes("ab\r\nc"));
        assertThat(parts.next()).isEqualTo(bytes("second part"));
        assertThat(parts.next()).isEqualTo(bytes("third"));
        assertThat(parts.next()).isNull();
    }

    @Test
    void shouldFindDelimitersWhenTheBoundaryParameterAlreadyCarriesDashes() throws IOException {
        // given the boundary declared as "--myboundary" while lines read "--myboundary" (a common camera quirk)
        byte[] stream = bytes("--myboundary\nContent-Length: 3\n\none\n--myboundary\n\ntwo\n--myboundary\n");
        MjpegParts parts = new MjpegParts(new ByteArrayInputStream(stream), "--myboundary", 1024);

        // when / then
        assertThat(parts.next()).isEqualTo(bytes("one"));
        assertThat(parts.next()).isEqualTo(bytes("two"));
        assertThat(parts.next()).isNull();
    }

    @Test
    void shouldFailWhenAPartExceedsTheLimit() throws IOException {
        // given one part by length and one by delimiter, both over 8 bytes
        MjpegParts byLength = new MjpegParts(
                new ByteArrayInputStream(bytes("--b\r\nContent-Length: 9\r\n\r\n123456789\r\n--b\r\n")), "b", 8);
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        big.writeBytes(bytes("--b\r\n\r\n"));
        big.writeBytes(new byte[100]);
        MjpegParts byDelimiter = new MjpegParts(new ByteArrayInputStream(big.toByteArray()), "b", 8);

        // when / then
        assertThatThrownBy(byLength::next).isInstanceOf(IOException.class).hasMessageContaining("limit of 8");
        assertThatThrownBy(byDelimiter::next).isInstanceOf(IOException.class).hasMessageContaining("8 bytes");
    }

    @Test
    void shouldReadTheBoundaryParameterWhenQuotedOrPlain() {
        assertThat(MjpegParts.boundary("multipart/x-mixed-replace; boundary=\"ab cd\""))
                .isEqualTo("ab cd");
        assertThat(MjpegParts.boundary("multipart/x-mixed-replace;boundary=--frame"))
                .isEqualTo("--frame");
        assertThat(MjpegParts.boundary("multipart/x-mixed-replace")).isNull();
        assertThat(MjpegParts.boundary("image/jpeg; boundary=x")).isNull();
        assertThat(MjpegParts.boundary(null)).isNull();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
